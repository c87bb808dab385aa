using Microsoft.DurableTask.Client;
using Workflows.Operations;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

public sealed class InstanceLifecycleHttpTests : OperationsHttpTestBase
{
    [Fact]
    public async Task TerminateInstance_RunningInstance_Returns202AndInstanceEndsTerminated()
    {
        // Arrange
        var id = await StartWaitingAsync("stuck");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/terminate", new TerminateInstanceRequest("stuck in test"));

        // Act
        var response = await (await Terminate().TerminateInstance(request, id, App.Client)).ExecuteAsync(request);
        var result = await App.WaitForCompletionAsync(id);

        // Assert
        Assert.Equal(202, response.StatusCode);
        Assert.Equal($"http://localhost:7071/api/operations/instances/{id}", response.Headers.Location.ToString());
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, result.RuntimeStatus);
    }

    [Fact]
    public async Task TerminateInstance_FinishedInstance_Returns409Problem()
    {
        // Arrange
        var id = await CompleteAsync("done");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/terminate");

        // Act
        var response = await (await Terminate().TerminateInstance(request, id, App.Client)).ExecuteAsync(request);

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
        var response = await (await Terminate().TerminateInstance(request, id, App.Client)).ExecuteAsync(request);

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
        var response = await (await Terminate().TerminateInstance(request, id, App.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(400, response.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await App.Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task PurgeInstance_FinishedInstance_Returns204AndInstanceIsGone()
    {
        // Arrange
        var id = await CompleteAsync("done");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/purge");

        // Act
        var response = await (await Purge().PurgeInstance(request, id, App.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(204, response.StatusCode);
        Assert.Null(await App.Client.GetInstanceAsync(id));
        Assert.Equal(404, (await GetStatusAsync(id)).StatusCode);
    }

    [Fact]
    public async Task PurgeInstance_RunningInstance_Returns409AndKeepsIt()
    {
        // Arrange
        var id = await StartWaitingAsync("running");
        var request = TestHttp.Request("POST", $"/api/operations/instances/{id}/purge");

        // Act
        var response = await (await Purge().PurgeInstance(request, id, App.Client)).ExecuteAsync(request);

        // Assert
        Assert.Equal(409, response.StatusCode);
        Assert.NotNull(await App.Client.GetInstanceAsync(id));
    }
}
