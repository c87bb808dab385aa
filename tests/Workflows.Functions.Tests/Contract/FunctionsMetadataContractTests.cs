using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Contract;

/// <summary>
/// What the Functions host will index (the build's functions.metadata) is what the README documents, and what the
/// test harness runs. To refresh the README table after adding a function:
/// <c>WORKFLOWS_UPDATE_README=1 dotnet test --filter FullyQualifiedName~FunctionsMetadataContractTests</c>.
/// </summary>
public sealed class FunctionsMetadataContractTests
{
    [Fact]
    public void FunctionsMetadata_EveryFunction_MatchesReadmeFunctionsReference()
    {
        // Arrange
        var built = FunctionsReference.FromMetadata();
        if (Environment.GetEnvironmentVariable("WORKFLOWS_UPDATE_README") == "1")
        {
            FunctionsReference.UpdateReadme(built);
        }

        // Act
        var documented = FunctionsReference.FromReadme();

        // Assert
        var missing = built.Except(documented).Select(r => r.ToMarkdown()).ToList();
        var stale = documented.Except(built).Select(r => r.ToMarkdown()).ToList();
        Assert.True(missing.Count == 0 && stale.Count == 0,
            $"README 'Functions reference' differs from functions.metadata.\nNot in README:\n{string.Join('\n', missing)}\n" +
            $"In README only:\n{string.Join('\n', stale)}\nExpected table:\n{FunctionsReference.Render(built)}");
    }

    [Fact]
    public void FunctionsMetadata_DurableFunctions_AreExactlyWhatTheHarnessRegisters()
    {
        // Arrange
        var indexed = FunctionsReference.FromMetadata()
            .Where(r => r.Trigger is "orchestrationTrigger" or "activityTrigger")
            .Select(r => $"{r.Function}:{r.Trigger}")
            .Order(StringComparer.Ordinal);

        // Act
        var registered = FunctionCatalog.Discover()
            .Select(f => $"{f.Name}:{(f.Kind == DurableFunctionKind.Orchestrator ? "orchestrationTrigger" : "activityTrigger")}")
            .Order(StringComparer.Ordinal);

        // Assert
        Assert.Equal(indexed, registered);
    }

    [Fact]
    public void FunctionsMetadata_MutatingHttpFunctions_RequireAKey()
    {
        // Act
        var anonymousMutations = FunctionsReference.FromMetadata()
            .Where(r => r.Trigger == "httpTrigger" && r.AuthLevel == "Anonymous" && r.Methods != "GET")
            .Select(r => r.Function);

        // Assert
        Assert.Empty(anonymousMutations);
    }
}
