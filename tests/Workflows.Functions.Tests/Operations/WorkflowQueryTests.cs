using Microsoft.DurableTask;
using Workflows.Operations;
using Workflows.Shared.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Operations;

public sealed class WorkflowQueryTests : WorkflowTestBase
{
    [Fact]
    public async Task ListWorkflows_ByNameStatusAndPrefix_ReturnsOnlyMatches()
    {
        // Arrange
        var prefix = TestNames.Unique("list");
        var running = await StartWaitingAsync("a", $"{prefix}-1");
        var done = await CompleteAsync("b", $"{prefix}-2");
        await Client.ScheduleNewOrchestrationInstanceAsync(nameof(HarnessFanOutOrchestrator), new FanOutRequest(1), new StartOrchestrationOptions($"{prefix}-3"));
        await Client.WaitForCompletionAsync($"{prefix}-3");
        await StartWaitingAsync("other prefix");

        // Act
        var byName = await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&name={nameof(HarnessWaitOrchestrator)}");
        var completed = await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&name={nameof(HarnessWaitOrchestrator)}&status=Completed");
        var both = await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&status=Running,Completed");

        // Assert
        Assert.Equal([running, done], byName.Items.Select(i => i.InstanceId).Order());
        Assert.Equal([done], completed.Items.Select(i => i.InstanceId));
        Assert.Equal([running, done, $"{prefix}-3"], both.Items.Select(i => i.InstanceId).Order());
        Assert.All(byName.Items, i => Assert.EndsWith($"/api/workflows/{i.InstanceId}", i.Url, StringComparison.Ordinal));
    }

    [Fact]
    public async Task ListWorkflows_CreatedRange_ExcludesInstancesOutsideIt()
    {
        // Arrange
        var prefix = TestNames.Unique("range");
        var before = DateTimeOffset.UtcNow.AddMinutes(-1);
        await StartWaitingAsync("a", $"{prefix}-1");
        var after = DateTimeOffset.UtcNow.AddMinutes(1);

        // Act
        var inside = await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&createdFrom={Iso(before)}&createdTo={Iso(after)}");
        var later = await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&createdFrom={Iso(after)}");
        var earlier = await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&createdTo={Iso(before)}");

        // Assert
        Assert.Single(inside.Items);
        Assert.Empty(later.Items);
        Assert.Empty(earlier.Items);
    }

    [Fact]
    public async Task ListWorkflows_MoreThanAPage_PagesThroughEveryInstanceOnce()
    {
        // Arrange
        var prefix = TestNames.Unique("pages");
        string[] ids = [.. await Task.WhenAll(Enumerable.Range(1, 5).Select(i => StartWaitingAsync("p", $"{prefix}-{i}")))];

        // Act
        List<ListPage<WorkflowSummary>> pages = [await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&pageSize=2")];
        while (pages[^1].ContinuationToken is { } token && pages.Count < 10)
        {
            pages.Add(await Api.GetAsync<ListPage<WorkflowSummary>>($"workflows?instanceIdPrefix={prefix}&pageSize=2&continuationToken={token}"));
        }

        // Assert
        Assert.All(pages, p => Assert.True(p.Items.Count <= 2));
        Assert.Equal(ids.Order(), pages.SelectMany(p => p.Items).Select(i => i.InstanceId).Order());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=101", "pageSize")]
    [InlineData("status=Sleeping", "status")]
    [InlineData("createdFrom=yesterday", "createdFrom")]
    [InlineData("createdFrom=2026-12-02&createdTo=2026-12-01", "createdTo")]
    [InlineData("name=has%20space", "name")]
    [InlineData("instanceIdPrefix=a%23b", "instanceIdPrefix")]
    [InlineData("continuationToken=bm90IG91cnM", "continuationToken")]
    [InlineData("stauts=Running", "stauts")]
    public async Task ListWorkflows_BadQuery_Returns400NamingTheParameter(string query, string parameter)
    {
        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await Api.Http.GetAsync($"workflows?{query}"), 400);

        // Assert
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("not a position")]
    [InlineData("99999999999999999999999")]
    [InlineData("{\"nextPartitionKey\":null}")]
    public async Task ListWorkflows_ChecksummedTokenThatIsNotTheEnginesPosition_Returns400(string position)
    {
        // Arrange: anyone can build a token that passes the checksum; what it holds is still not the engine's position.
        await StartWaitingAsync("listed");
        var token = ContinuationTokens.Encode(position);

        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await Api.Http.GetAsync($"workflows?continuationToken={token}"), 400);

        // Assert
        Assert.True(problem.GetProperty("errors").TryGetProperty("continuationToken", out _), problem.ToString());
    }

    [Fact]
    public async Task GetWorkflow_CompletedInstance_ReturnsStatusAndWhatWasAskedFor()
    {
        // Arrange
        var id = await CompleteAsync("shipped");

        // Act
        var plain = await Api.GetAsync<WorkflowDetails>($"workflows/{id}");
        var full = await Api.GetAsync<WorkflowDetails>($"workflows/{id}?input=true&output=true&history=true");

        // Assert
        Assert.Equal(("Completed", nameof(HarnessWaitOrchestrator)), (plain.RuntimeStatus, plain.Name));
        Assert.Equal("shipped", plain.CustomStatus!.Value.GetProperty("stage").GetString());
        Assert.Null(plain.Input);
        Assert.Null(plain.Output);
        Assert.Null(plain.History);
        Assert.Equal("shipped", full.Input!.Value.GetString());
        Assert.Equal("shipped", full.Output!.Value.GetString());
        Assert.NotNull(full.History); // the in-memory engine keeps none; the Functions host returns the events
    }

    [Theory]
    [InlineData("a%23b", 400)]
    [InlineData("a%3Fb", 400)]
    [InlineData("a%5Cb", 400)]
    [InlineData("%20", 400)]
    [InlineData("missing-instance", 404)]
    public async Task GetWorkflow_BadOrUnknownId_ReturnsProblem(string id, int status)
    {
        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await Api.Http.GetAsync($"workflows/{id}"), status);

        // Assert
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task GetWorkflow_BadFlag_Returns400()
    {
        // Arrange
        var id = await StartWaitingAsync("x");

        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await Api.Http.GetAsync($"workflows/{id}?history=yes"), 400);

        // Assert
        Assert.True(problem.GetProperty("errors").TryGetProperty("history", out _));
    }

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("o"));
}
