using System.Net;
using Microsoft.DurableTask.Client;

namespace Workflows.Tests.TestSupport;

public sealed class HarnessTests
{
    [Fact]
    public async Task InMemoryEngine_FanOutOfThousandActivities_Completes()
    {
        // Arrange
        await using var app = await TestApp.StartAsync(extraFunctionAssemblies: typeof(HarnessTests).Assembly);

        // Act
        var id = await app.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessFanOutOrchestrator), new FanOutRequest(1000));
        var result = await app.WaitForCompletionAsync(id, TimeSpan.FromMinutes(2));

        // Assert
        Assert.Equal(OrchestrationRuntimeStatus.Completed, result.RuntimeStatus);
        Assert.Equal(Enumerable.Range(1, 1000).Sum(i => (long)i * i), result.ReadOutputAs<long>());
    }

    [Fact]
    public void FunctionCatalog_TestAssembly_DiscoversOrchestratorsAndActivitiesWithDeclaredTypes()
    {
        // Act
        var functions = FunctionCatalog.Discover(typeof(HarnessTests).Assembly).ToDictionary(f => f.Name);

        // Assert
        Assert.Equal(DurableFunctionKind.Orchestrator, functions[nameof(HarnessFanOutOrchestrator)].Kind);
        Assert.Equal(typeof(FanOutRequest), functions[nameof(HarnessFanOutOrchestrator)].InputType);
        Assert.Equal(typeof(long), functions[nameof(HarnessFanOutOrchestrator)].OutputType);
        Assert.Equal(typeof(SquareRequest), functions[nameof(HarnessActivities.Square)].InputType);
        Assert.Equal(typeof(int), functions[nameof(HarnessActivities.Square)].OutputType);
        Assert.Equal(typeof(string), functions[nameof(HarnessActivities.Echo)].OutputType);
        Assert.DoesNotContain(nameof(HarnessStartHttp), functions.Keys);
    }

    [Fact]
    public async Task HttpStarter_ValidBody_SchedulesOnRealClientAndAnswersAccepted()
    {
        // Arrange
        await using var app = await TestApp.StartAsync(extraFunctionAssemblies: typeof(HarnessTests).Assembly);
        var id = TestNames.Unique("order");
        var request = TestHttp.Request("POST", $"/api/harness/{id}", new FanOutRequest(4));

        // Act
        var response = await (await HarnessStartHttp.RunAsync(request, id, app.Client)).ExecuteAsync(request);
        var result = await app.WaitForCompletionAsync($"harness-{id}");

        // Assert
        Assert.Equal((int)HttpStatusCode.Accepted, response.StatusCode);
        Assert.Equal($"/api/operations/instances/harness-{id}", response.Headers.Location.ToString());
        Assert.Equal($"harness-{id}", response.Json<Dictionary<string, string>>()!["id"]);
        Assert.Equal(30, result.ReadOutputAs<long>());
    }

    [Fact]
    public async Task HttpStarter_InvalidBody_AnswersProblemDetails()
    {
        // Arrange
        await using var app = await TestApp.StartAsync(extraFunctionAssemblies: typeof(HarnessTests).Assembly);
        var request = TestHttp.Request("POST", "/api/harness/x", new FanOutRequest(0));

        // Act
        var response = await (await HarnessStartHttp.RunAsync(request, "x", app.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.Equal("application/problem+json; charset=utf-8", response.ContentType);
        Assert.Contains("\"title\":\"Count must be positive.\"", response.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void TestNames_Unique_IsStorageValidAndDistinct()
    {
        // Act
        var names = Enumerable.Range(0, 100).Select(_ => TestNames.Unique("Stock_Table-With-A-Very-Long-Prefix")).ToList();

        // Assert
        Assert.Equal(100, names.Distinct().Count());
        Assert.All(names, n => Assert.Matches("^[a-z][a-z0-9]{2,39}$", n));
    }
}
