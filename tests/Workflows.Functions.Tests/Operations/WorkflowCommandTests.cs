using System.Net.Http.Json;
using System.Text;
using Microsoft.DurableTask.Client;
using Workflows.Assets;
using Workflows.Operations;
using Workflows.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

public sealed class WorkflowCommandTests : WorkflowTestBase
{
    [Fact]
    public async Task SuspendThenResume_RunningInstance_StopsAndGoesOn()
    {
        // Arrange
        var id = await StartWaitingAsync("waiting");

        // Act
        using var suspended = await Api.PostAsync($"workflows/{id}/suspend", new WorkflowReason("looking into it"));
        await WaitForStatusAsync(id, OrchestrationRuntimeStatus.Suspended);
        using var resumed = await Api.PostAsync($"workflows/{id}/resume");
        await WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);
        await Client.RaiseEventAsync(id, "go", "done");
        var finished = await Client.WaitForCompletionAsync(id);

        // Assert
        Assert.Equal(202, (int)suspended.StatusCode);
        Assert.Equal(202, (int)resumed.StatusCode);
        Assert.EndsWith($"/api/workflows/{id}", suspended.Headers.Location!.ToString(), StringComparison.Ordinal);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, finished.RuntimeStatus);
    }

    [Fact]
    public async Task Commands_InTheWrongState_Return409()
    {
        // Arrange
        var running = await StartWaitingAsync("running");
        var done = await CompleteAsync("done");

        // Act + Assert
        await HttpTestApp.AssertProblemAsync(await Api.PostAsync($"workflows/{running}/resume"), 409);
        await HttpTestApp.AssertProblemAsync(await Api.PostAsync($"workflows/{running}/restart"), 409);
        await HttpTestApp.AssertProblemAsync(await Api.PostAsync($"workflows/{done}/suspend"), 409);
        await HttpTestApp.AssertProblemAsync(await Api.PostAsync($"workflows/{done}/terminate"), 409);
        await HttpTestApp.AssertProblemAsync(await Api.PostAsync($"workflows/{done}/events/go", "late"), 409);
    }

    [Theory]
    [InlineData("suspend")]
    [InlineData("resume")]
    [InlineData("terminate")]
    [InlineData("restart")]
    [InlineData("events/go")]
    public async Task Commands_UnknownOrInvalidInstance_Return404Or400(string command)
    {
        // Act + Assert
        await HttpTestApp.AssertProblemAsync(await Api.PostAsync($"workflows/{TestNames.Unique("missing")}/{command}"), 404);
        await HttpTestApp.AssertProblemAsync(await Api.PostAsync($"workflows/a%23b/{command}"), 400);
    }

    [Fact]
    public async Task TerminateWorkflow_RunningInstance_EndsTerminatedWithTheReason()
    {
        // Arrange
        var id = await StartWaitingAsync("stuck");

        // Act
        using var response = await Api.PostAsync($"workflows/{id}/terminate", new WorkflowReason("stuck in test"));
        var result = await Client.WaitForCompletionAsync(id);

        // Assert
        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal(OrchestrationRuntimeStatus.Terminated, result.RuntimeStatus);
        Assert.Contains("stuck in test", result.SerializedOutput, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TerminateWorkflow_MalformedBody_Returns400AndKeepsItRunning()
    {
        // Arrange
        var id = await StartWaitingAsync("stuck");

        // Act
        using var response = await Api.Http.PostAsync($"workflows/{id}/terminate", new StringContent("{not json", Encoding.UTF8, "application/json"));

        // Assert
        await HttpTestApp.AssertProblemAsync(response, 400);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public async Task RestartWorkflow_SameId_RunsAgainWithTheSameInput()
    {
        // Arrange
        var id = await CompleteAsync("first run");

        // Act
        using var response = await Api.PostAsync($"workflows/{id}/restart");
        var restarted = await response.Content.ReadFromJsonAsync<WorkflowRestarted>(HttpTestApp.Json);
        var running = await WaitForStatusAsync(id, OrchestrationRuntimeStatus.Running);

        // Assert
        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal((id, id, true), (restarted!.InstanceId, restarted.RestartedFrom, restarted.IdReused));
        Assert.Equal("\"first run\"", running.SerializedInput);
    }

    [Fact]
    public async Task RestartWorkflow_NewId_LeavesTheOldInstanceAndStartsAnother()
    {
        // Arrange
        var id = await CompleteAsync("first run");

        // Act
        using var response = await Api.PostAsync($"workflows/{id}/restart?newInstanceId=true");
        var restarted = await response.Content.ReadFromJsonAsync<WorkflowRestarted>(HttpTestApp.Json);
        var copy = await WaitForStatusAsync(restarted!.InstanceId, OrchestrationRuntimeStatus.Running);

        // Assert
        Assert.False(restarted.IdReused);
        Assert.NotEqual(id, restarted.InstanceId);
        Assert.Equal("\"first run\"", copy.SerializedInput);
        Assert.Equal(OrchestrationRuntimeStatus.Completed, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }

    [Fact]
    public void RestartPolicy_SagaAndReprocessRuns_AreRefusedAndTheUploadPipelineIsNot()
    {
        // Assert: the pipeline finds a finished version and stops, so restarting it is safe (and retries a stuck one).
        Assert.Equal(
            [nameof(AssetRerenderOrchestrator), nameof(BulkReprocessOrchestrator), nameof(OrderFulfilmentOrchestrator)],
            OperatorPolicy.NotRestartable.Order(StringComparer.Ordinal));
        Assert.Null(OperatorPolicy.WhyNotRestart(nameof(AssetPipelineOrchestrator)));
    }

    [Fact]
    public void TerminatePolicy_OnlyTheOrderSaga_HoldsWhatATerminateWouldLeaveBehind()
    {
        // Assert: an asset run's leftovers are settled by the sweep; an order's stock and charge are not.
        Assert.Equal([nameof(OrderFulfilmentOrchestrator)], OperatorPolicy.TerminateNeedsForce);
    }

    [Fact]
    public async Task RaiseWorkflowEvent_JsonBody_IsTheEventPayload()
    {
        // Arrange
        var id = await StartWaitingAsync("waiting");

        // Act
        using var response = await Api.PostAsync($"workflows/{id}/events/go", "from the console");
        var result = await Client.WaitForCompletionAsync(id);

        // Assert
        Assert.Equal(202, (int)response.StatusCode);
        Assert.Equal("\"from the console\"", result.SerializedOutput);
    }

    [Theory]
    [InlineData("bad%20name", "{}", 400)]
    [InlineData("go", "{not json", 400)]
    public async Task RaiseWorkflowEvent_BadNameOrBody_Returns400(string name, string body, int status)
    {
        // Arrange
        var id = await StartWaitingAsync("waiting");

        // Act + Assert
        await HttpTestApp.AssertProblemAsync(
            await Api.Http.PostAsync($"workflows/{id}/events/{name}", new StringContent(body, Encoding.UTF8, "application/json")), status);
    }

    [Fact]
    public async Task RaiseWorkflowEvent_BodyOver64KB_Returns413()
    {
        // Arrange
        var id = await StartWaitingAsync("waiting");
        var body = $"\"{new string('x', 70 * 1024)}\"";

        // Act + Assert
        await HttpTestApp.AssertProblemAsync(
            await Api.Http.PostAsync($"workflows/{id}/events/go", new StringContent(body, Encoding.UTF8, "application/json")), 413);
        Assert.Equal(OrchestrationRuntimeStatus.Running, (await Client.GetInstanceAsync(id))!.RuntimeStatus);
    }
}
