using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask;

namespace Workflows.Tests.TestSupport;

public sealed class FunctionCatalogTests
{
    [Fact]
    public void FunctionCatalog_AppAssembly_EveryActivityHasATypedInput()
    {
        // Act
        var activities = FunctionCatalog.Discover().Where(f => f.Kind == DurableFunctionKind.Activity);

        // Assert: an untyped input would reach the method as a JsonElement.
        Assert.All(activities, a => Assert.NotEqual(typeof(object), a.InputType));
    }

    [Theory]
    [InlineData(nameof(UnsupportedSignatures.ActivityWithFunctionContext))]
    [InlineData(nameof(UnsupportedSignatures.ActivityWithBindingParameter))]
    [InlineData(nameof(UnsupportedSignatures.OrchestratorWithTwoInputs))]
    public void FunctionCatalog_UnsupportedSignature_FailsNamingTheMethod(string method)
    {
        // Arrange
        var info = typeof(UnsupportedSignatures).GetMethod(method)!;

        // Act
        var error = Assert.Throws<NotSupportedException>(() => FunctionCatalog.Describe(method, info));

        // Assert
        Assert.Contains($"{nameof(UnsupportedSignatures)}.{method}", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void FunctionCatalog_MethodWithoutDurableTrigger_IsNotADurableFunction()
    {
        // Act
        var described = FunctionCatalog.Describe("Plain", typeof(UnsupportedSignatures).GetMethod(nameof(UnsupportedSignatures.NotDurable))!);

        // Assert
        Assert.Null(described);
    }

    /// <summary>Shapes the harness refuses; no [Function] attribute, so discovery of this assembly never meets them.</summary>
    public sealed class UnsupportedSignatures
    {
        public static Task<int> ActivityWithFunctionContext([ActivityTrigger] int input, FunctionContext context) => Task.FromResult(input);

        public static Task<int> ActivityWithBindingParameter([ActivityTrigger] int input, string blobContent) => Task.FromResult(input + blobContent.Length);

        public static Task<int> OrchestratorWithTwoInputs([OrchestrationTrigger] TaskOrchestrationContext context, int a, int b) =>
            Task.FromResult(a + b);

        public static int NotDurable(int input) => input;
    }
}
