using Azure.Core;
using Azure.Data.Tables;
using DurableTask.AzureStorage;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Client;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Operations;
using Workflows.Shared;
using Workflows.Tests.TestSupport;
using Xunit.Abstractions;

namespace Workflows.Tests.Operations;

/// <summary>
/// What a purge by age costs the task hub (the Azure Storage engine's table requests, counted on its own client) when a
/// feature's clean-up before the purge keeps failing: a query of the listing per batch taken up, and one of each kept
/// instance's sub-orchestrations, which is asked before any clean-up runs (<see cref="PurgeHookOrderTests"/>), no more.
/// </summary>
public sealed class PurgeRequestsTests(ITestOutputHelper output)
{
    [Fact]
    public async Task PurgeWorkflows_AHookFailsForEveryInstance_OneListingQueryPerBatchAndOneChildrenQueryPerKeptInstance()
    {
        // Arrange: five completed instances whose clean-up always fails; batches of 2, so the call looks past them all.
        // The instances table's requests are counted (the engine may still be writing its history meanwhile).
        var instances = new StorageRequests { Only = r => r.Uri.Path.Contains("Instances", StringComparison.Ordinal) };
        var connection = (await Azurite.GetAsync()).ConnectionString;
        await using var app = await PersistentTestApp.StartAsync(
            s => s["Operations:PurgeBatchSize"] = "2",
            s => s.AddSingleton<IInstancePurgeHook, FailingHook>(),
            backend => backend.StorageAccountClientProvider = Counted(connection, instances),
            typeof(PurgeRequestsTests).Assembly);
        List<string> ids = [];
        for (var i = 0; i < 5; i++)
        {
            var id = await app.Client.ScheduleNewOrchestrationInstanceAsync(
                nameof(HarnessWaitOrchestrator), "kept", new StartOrchestrationOptions(TestNames.Unique("kept")));
            await app.Client.WaitForInstanceStartAsync(id);
            await app.Client.RaiseEventAsync(id, "go", "kept");
            await app.WaitForCompletionAsync(id);
            ids.Add(id);
        }

        instances.Reset();

        // Act
        var request = TestHttp.Request("POST", "/api/workflows/purge", new { olderThanDays = 0 });
        var response = await (await app.CreateFunction<WorkflowPurgeHttp>().PurgeWorkflows(request, app.Client)).ExecuteAsync(request);

        // Assert: all five kept; the listing is queried once per batch taken up (2 + 2 + 1), and each instance's
        // sub-orchestrations once (a hook never runs for a tree whose sub-orchestrations may still run): 3 + 5.
        var made = instances.TakeSnapshot().ToDictionary(c => c.Key.Operation, c => c.Value);
        foreach (var (operation, n) in made)
        {
            output.WriteLine($"{operation} ×{n}");
        }

        Assert.Equal(200, response.StatusCode);
        Assert.Equal(new WorkflowsPurged(0, false, 5), response.Json<WorkflowsPurged>());
        Assert.Equal(3 + 5, made.GetValueOrDefault("GET query"));
        Assert.All(ids, id => Assert.NotNull(app.Client.GetInstanceAsync(id).Result));
    }

    /// <summary>The task hub's clients, with <paramref name="requests"/> on its table client.</summary>
    private static StorageAccountClientProvider Counted(string connection, StorageRequests requests)
    {
        var tables = new TableClientOptions();
        tables.AddPolicy(requests, HttpPipelinePosition.PerRetry);
        return new StorageAccountClientProvider(
            StorageServiceClientProvider.ForBlob(connection), StorageServiceClientProvider.ForQueue(connection),
            StorageServiceClientProvider.ForTable(connection, tables));
    }

    /// <summary>A feature's clean-up that fails for every instance (its storage is down, say).</summary>
    private sealed class FailingHook : IInstancePurgeHook
    {
        public Task BeforePurgeAsync(DurableTaskClient client, OrchestrationMetadata instance, CancellationToken ct) =>
            throw new InvalidOperationException("clean-up failed");
    }
}
