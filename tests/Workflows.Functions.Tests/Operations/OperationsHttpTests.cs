using System.Text.Json;
using Microsoft.DurableTask.Client;
using Workflows.Operations;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

/// <summary>The operations endpoints called as the host calls them, against the in-memory engine's real client.</summary>
public sealed class OperationsHttpTests : IAsyncLifetime
{
    private TestApp _app = null!;

    public async Task InitializeAsync() => _app = await TestApp.StartAsync(extraFunctionAssemblies: typeof(OperationsHttpTests).Assembly);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task GetInstanceStatus_CompletedInstance_ReturnsStatusAndOutput()
    {
        // Arrange
        var id = await StartWaitingAsync("shipping");
        await _app.Client.RaiseEventAsync(id, "go", "shipped");
        await _app.WaitForCompletionAsync(id);

        // Act
        var response = await GetStatusAsync(id);

        // Assert
        Assert.Equal(200, response.StatusCode);
        var status = response.Json<InstanceStatusResponse>()!;
        Assert.Equal(id, status.InstanceId);
        Assert.Equal(nameof(HarnessWaitOrchestrator), status.Name);
        Assert.Equal("Completed", status.RuntimeStatus);
        Assert.Equal("shipped", status.Output!.Value.GetString());
        Assert.Null(status.Failure);
    }

    [Fact]
    public async Task GetInstanceStatus_RunningInstance_ReturnsCustomStatus()
    {
        // Arrange
        var id = await StartWaitingAsync("packing");

        // Act
        var response = await GetStatusAsync(id);

        // Assert
        var status = response.Json<InstanceStatusResponse>()!;
        Assert.Equal("Running", status.RuntimeStatus);
        Assert.Equal("packing", status.CustomStatus!.Value.GetProperty("stage").GetString());
    }

    [Fact]
    public async Task GetInstanceStatus_UnknownInstance_Returns404Problem()
    {
        // Act
        var response = await GetStatusAsync(TestNames.Unique("missing"));

        // Assert
        Assert.Equal(404, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
        Assert.Equal(404, response.Json<JsonElement>().GetProperty("status").GetInt32());
    }

    [Theory]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\\b")]
    [InlineData(" ")]
    public async Task GetInstanceStatus_InvalidInstanceId_Returns400Problem(string instanceId)
    {
        // Act
        var response = await GetStatusAsync(instanceId);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminateInstance_RunningInstance_Returns202AndInstanceEndsTerminated()
    {
        // Arrange
        var id = await StartWaitingAsync("stuck");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/terminate", new TerminateInstanceRequest("stuck in test"));

        // Act
        var response = await (await Terminate().TerminateInstance(request, id, _app.Client)).ExecuteAsync(request);
        var result = await _app.WaitForCompletionAsync(id);

        // Assert
        Assert.Equal(202, response.StatusCode);
        Assert.Equal($"http://localhost:7071/api/operations/instances/{id}", response.Headers.Location.ToString());
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, result.RuntimeStatus);
    }

    [Fact]
    public async Task TerminateInstance_FinishedInstance_Returns409Problem()
    {
        // Arrange
        var id = await StartWaitingAsync("done");
        await _app.Client.RaiseEventAsync(id, "go", "ok");
        await _app.WaitForCompletionAsync(id);
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/terminate");

        // Act
        var response = await (await Terminate().TerminateInstance(request, id, _app.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(409, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminateInstance_UnknownInstance_Returns404Problem()
    {
        // Arrange
        var id = TestNames.Unique("missing");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/terminate");

        // Act
        var response = await (await Terminate().TerminateInstance(request, id, _app.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(404, response.StatusCode);
    }

    [Fact]
    public async Task TerminateInstance_MalformedBody_Returns400Problem()
    {
        // Arrange
        var id = await StartWaitingAsync("stuck");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/terminate", new MemoryStream("{not json"u8.ToArray()), "application/json");

        // Act
        var response = await (await Terminate().TerminateInstance(request, id, _app.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await _app.Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task PurgeInstance_FinishedInstance_Returns204AndInstanceIsGone()
    {
        // Arrange
        var id = await StartWaitingAsync("done");
        await _app.Client.RaiseEventAsync(id, "go", "ok");
        await _app.WaitForCompletionAsync(id);
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/purge");

        // Act
        var response = await (await Purge().PurgeInstance(request, id, _app.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(204, response.StatusCode);
        Assert.Null(await _app.Client.GetInstanceAsync(id));
        Assert.Equal(404, (await GetStatusAsync(id)).StatusCode);
    }

    [Fact]
    public async Task PurgeInstance_RunningInstance_Returns409AndKeepsIt()
    {
        // Arrange
        var id = await StartWaitingAsync("running");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/purge");

        // Act
        var response = await (await Purge().PurgeInstance(request, id, _app.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(409, response.StatusCode);
        Assert.NotNull(await _app.Client.GetInstanceAsync(id));
    }

    private TerminateInstanceHttp Terminate() => _app.CreateFunction<TerminateInstanceHttp>();

    private PurgeInstanceHttp Purge() => _app.CreateFunction<PurgeInstanceHttp>();

    private async Task<string> StartWaitingAsync(string stage)
    {
        var id = await _app.Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessWaitOrchestrator), stage);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _app.Client.WaitForInstanceStartAsync(id, timeout.Token);
        return id;
    }

    private async Task<TestHttpResponse> GetStatusAsync(string id)
    {
        var request = TestHttp.Request("GET", $"/api/operations/instances/{Uri.EscapeDataString(id)}");
        return await (await InstanceStatusHttp.GetInstanceStatus(request, id, _app.Client)).ExecuteAsync(request);
    }
}
