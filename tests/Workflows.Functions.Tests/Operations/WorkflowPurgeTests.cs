using System.Net.Http.Json;
using Microsoft.DurableTask.Client;
using Workflows.Assets.Http;
using Workflows.Operations;
using Workflows.Tests.Assets;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

public sealed class WorkflowPurgeTests : WorkflowTestBase
{
    public override async Task InitializeAsync() =>
        Api = await HttpTestApp.StartAsync(
            s =>
            {
                AssetsTestApp.Configure(s);
                s["Operations:PurgeBatchSize"] = "2";
            },
            extraFunctionAssemblies: typeof(WorkflowTestBase).Assembly);

    [Fact]
    public async Task PurgeWorkflow_FinishedBulkReprocess_PurgesItsSubOrchestrationsToo()
    {
        // Arrange: three Ready assets, re-rendered by a bulk reprocess (one sub-orchestration each)
        foreach (var name in new[] { "a.jpg", "b.jpg", "c.jpg" })
        {
            await Api.UploadReadyAsync(name);
        }

        using var started = await Api.PostAsync("assets/reprocess");
        var reprocess = (await started.Content.ReadFromJsonAsync<ReprocessAccepted>(HttpTestApp.Json))!.InstanceId;
        await Client.WaitForCompletionAsync(reprocess, TimeSpan.FromSeconds(120));
        var children = await ChildrenAsync(reprocess);

        // Act
        using var response = await Api.Http.DeleteAsync($"workflows/{reprocess}");

        // Assert
        Assert.Equal(3, children.Count);
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(4, (await response.Content.ReadFromJsonAsync<WorkflowsPurged>(HttpTestApp.Json))!.Purged);
        Assert.Null(await Client.GetInstanceAsync(reprocess));
        Assert.Empty(await ChildrenAsync(reprocess));
    }

    [Fact]
    public async Task PurgeWorkflow_RunningInstanceOrRunningChild_Returns409AndKeepsThem()
    {
        // Arrange
        var running = await StartWaitingAsync("running");
        var parent = await CompleteAsync("parent");
        var child = await StartWaitingAsync("child", $"{parent}:child");

        // Act
        var runningProblem = await HttpTestApp.AssertProblemAsync(await Api.Http.DeleteAsync($"workflows/{running}"), 409);
        var childProblem = await HttpTestApp.AssertProblemAsync(await Api.Http.DeleteAsync($"workflows/{parent}"), 409);

        // Assert
        Assert.Contains(child, childProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.NotNull(await Client.GetInstanceAsync(running));
        Assert.NotNull(await Client.GetInstanceAsync(parent));
        Assert.NotNull(await Client.GetInstanceAsync(child));
    }

    [Fact]
    public async Task PurgeWorkflow_UnknownOrInvalidId_Returns404Or400()
    {
        // Act + Assert
        await HttpTestApp.AssertProblemAsync(await Api.Http.DeleteAsync($"workflows/{TestNames.Unique("missing")}"), 404);
        await HttpTestApp.AssertProblemAsync(await Api.Http.DeleteAsync("workflows/a%3Fb"), 400);
    }

    [Fact]
    public async Task PurgeWorkflows_ByStatusAndAge_PurgesInBatchesAndKeepsTheRest()
    {
        // Arrange: three completed, one terminated, one running; batches of 2
        string[] completed = [await CompleteAsync("1"), await CompleteAsync("2"), await CompleteAsync("3")];
        var terminated = await StartWaitingAsync("t");
        await Client.TerminateInstanceAsync(terminated);
        await Client.WaitForCompletionAsync(terminated);
        var running = await StartWaitingAsync("r");

        // Act
        var tooRecent = await PurgeAsync(new PurgeWorkflowsRequest(null, OlderThanDays: 1));
        var first = await PurgeAsync(new PurgeWorkflowsRequest(["Completed"], OlderThanDays: 0));
        var second = await PurgeAsync(new PurgeWorkflowsRequest(["Completed"], OlderThanDays: 0));

        // Assert
        Assert.Equal(new WorkflowsPurged(0, false), tooRecent);
        Assert.Equal(new WorkflowsPurged(2, true), first);
        Assert.Equal(new WorkflowsPurged(1, false), second);
        Assert.All(completed, id => Assert.Null(Client.GetInstanceAsync(id).Result));
        Assert.NotNull(await Client.GetInstanceAsync(terminated));
        Assert.NotNull(await Client.GetInstanceAsync(running));
    }

    [Fact]
    public async Task PurgeWorkflows_FullBatchAllKept_AnswersKeptAndNoMoreSoACallerLoopingOnMoreStops()
    {
        // Arrange: three completed parents, each with a sub-orchestration still running; batches of 2
        List<string> children = [];
        foreach (var stage in new[] { "k1", "k2", "k3" })
        {
            var parent = await CompleteAsync(stage);
            children.Add(await StartWaitingAsync($"{stage}-child", $"{parent}:child"));
        }

        // Act: every instance the call takes up is kept (it looks past them all), so calling again would take up the same ones
        using var response = await Api.PostAsync("workflows/purge", new PurgeWorkflowsRequest(["Completed"], OlderThanDays: 0));
        var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(HttpTestApp.Json);

        // Assert
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal(0, body.GetProperty("purged").GetInt32());
        Assert.True(body.TryGetProperty("kept", out var kept), body.ToString());
        Assert.Equal(3, kept.GetInt32());
        Assert.False(body.GetProperty("more").GetBoolean());
        Assert.All(children, id => Assert.NotNull(Client.GetInstanceAsync(id).Result));
    }

    [Fact]
    public async Task PurgeWorkflows_FullBatchAllKeptAheadOfOthers_LooksPastThemAndPurgesTheRest()
    {
        // Arrange: three completed parents with a sub-orchestration still running (ids and starts first, where the
        // engines' queries begin), then one completed instance free to go; batches of 2
        foreach (var stage in new[] { "a1", "a2", "a3" })
        {
            var parent = await CompleteAsync(stage, TestNames.Unique($"a{stage}"));
            await StartWaitingAsync($"{stage}-child", $"{parent}:child");
        }

        var free = await CompleteAsync("free", TestNames.Unique("zfree"));

        // Act: an operator loops on more, then calls again later, as the retention timer does every hour
        List<WorkflowsPurged> answers = [];
        do
        {
            answers.Add(await PurgeAsync(new PurgeWorkflowsRequest(["Completed"], OlderThanDays: 0)));
        }
        while (answers[^1].More && answers.Count < 10);

        answers.Add(await PurgeAsync(new PurgeWorkflowsRequest(["Completed"], OlderThanDays: 0)));

        // Assert: the kept ones do not hide the free one from every later call
        Assert.Null(await Client.GetInstanceAsync(free));
        Assert.Equal(new WorkflowsPurged(1, false, 3), answers[0]);
        Assert.Equal(new WorkflowsPurged(0, false, 3), answers[^1]);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("{\"olderThanDays\": -1}")]
    [InlineData("{\"olderThanDays\": 1, \"statuses\": [\"Running\"]}")]
    [InlineData("{\"olderThanDays\": 1, \"statuses\": [\"3\"]}")]
    [InlineData("{\"olderThanDays\": \"soon\"}")]
    [InlineData("not json")]
    public async Task PurgeWorkflows_BadBody_Returns400(string body)
    {
        // Act + Assert
        await HttpTestApp.AssertProblemAsync(
            await Api.Http.PostAsync("workflows/purge", new StringContent(body, System.Text.Encoding.UTF8, "application/json")), 400);
    }

    private async Task<WorkflowsPurged> PurgeAsync(PurgeWorkflowsRequest request)
    {
        using var response = await Api.PostAsync("workflows/purge", request);
        Assert.Equal(200, (int)response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WorkflowsPurged>(HttpTestApp.Json))!;
    }

    private async Task<List<string>> ChildrenAsync(string parent)
    {
        List<string> ids = [];
        await foreach (var child in Client.GetAllInstancesAsync(new OrchestrationQuery { InstanceIdPrefix = parent + ":" }))
        {
            ids.Add(child.InstanceId);
        }

        return ids;
    }
}
