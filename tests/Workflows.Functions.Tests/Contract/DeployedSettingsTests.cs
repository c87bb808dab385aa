using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Queues;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Operations;
using Workflows.Orders;
using Workflows.Orders.Http;
using Workflows.Shared;
using Workflows.Tests.Orders;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Contract;

/// <summary>
/// What infra/ gives the app in Azure is what the app needs there: the app settings of infra/app/app-settings.json start
/// it outside Development and serve the post-deployment smoke test, and infra/app/app-storage.json provisions exactly the
/// containers, queues and tables the app creates under those settings. The Bicep templates load both files.
/// </summary>
public sealed class DeployedSettingsTests
{
    private static readonly string AppSettingsFile = Path.Combine(BicepCli.Infra, "app", "app-settings.json");
    private static readonly string AppStorageFile = Path.Combine(BicepCli.Infra, "app", "app-storage.json");

    [Fact]
    public async Task Templates_LoadTheSettingsAndStorageFiles()
    {
        // Arrange
        var settings = JsonNode.Parse(await File.ReadAllTextAsync(AppSettingsFile))!;
        var storage = JsonNode.Parse(await File.ReadAllTextAsync(AppStorageFile))!;

        // Act
        var compiled = Descendants(JsonNode.Parse(await BicepCli.BuildMainAsync())!).ToList();

        // Assert: loadJsonContent inlines each file's content into the compiled template.
        Assert.Contains(compiled, node => JsonNode.DeepEquals(node, settings));
        Assert.Contains(compiled, node => JsonNode.DeepEquals(node, storage));
    }

    [Fact]
    public async Task UploadEvents_DeliveredToTheBlobTriggerOfTheDeployedUploadsContainer()
    {
        // Arrange: the blob trigger the app declares (functions.metadata) and the container it is deployed to watch.
        var trigger = FunctionsReference.FromMetadata().Single(f => f.Trigger == "blobTrigger");
        var uploads = (await DeployedSettingsAsync())["Assets__UploadsContainer"];

        // Act: the compiled Event Grid subscription.
        var subscription = Descendants(JsonNode.Parse(await BicepCli.BuildMainAsync())!).OfType<JsonObject>()
            .Single(o => o["type"]?.GetValue<string>() == "Microsoft.EventGrid/systemTopics/eventSubscriptions");
        var endpoint = subscription["properties"]!["destination"]!["properties"]!["endpointUrl"]!.GetValue<string>();
        var subject = subscription["properties"]!["filter"]!["subjectBeginsWith"]!.GetValue<string>();

        // Assert: a renamed function or container would leave uploads undelivered (only the sweep would find them).
        Assert.Contains($"/runtime/webhooks/blobs?functionName=Host.Functions.{trigger.Function}&", endpoint, StringComparison.Ordinal);
        Assert.Equal($"/blobServices/default/containers/{uploads}/", subject);
        Assert.Equal($"{AssetOptions.UploadsContainerSetting}/{{name}}", trigger.Target);
    }

    [Fact]
    public async Task UploadEvents_RetriedThenDeadLetteredToAContainerTheSystemTopicMayWrite()
    {
        // Arrange: Storage Blob Data Contributor, the role Event Grid's identity needs to write dead letters.
        const string blobDataContributor = "ba92f5b4-2d11-453d-a403-e96b0029c9fe";
        using var provisioned = JsonDocument.Parse(await File.ReadAllTextAsync(AppStorageFile));

        // Act: the compiled subscription, its system topic, the role assignments and the storage module's parameters.
        var compiled = Descendants(JsonNode.Parse(await BicepCli.BuildMainAsync())!).OfType<JsonObject>().ToList();
        JsonObject Resource(string type) => compiled.Single(o => o["type"]?.GetValue<string>() == type);
        var subscription = Resource("Microsoft.EventGrid/systemTopics/eventSubscriptions")["properties"]!;
        var topic = Resource("Microsoft.EventGrid/systemTopics");
        var deadLetter = subscription["deadLetterWithResourceIdentity"];
        var grants = compiled.Where(o => o["type"]?.GetValue<string>() == "Microsoft.Authorization/roleAssignments"
            && o["properties"]?["roleDefinitionId"]?.ToJsonString().Contains(blobDataContributor, StringComparison.Ordinal) == true).ToList();
        var storage = compiled.Single(o => o["type"]?.GetValue<string>() == "Microsoft.Resources/deployments" && o["name"]?.GetValue<string>() == "storage");
        var container = storage["properties"]!["parameters"]!["deadLetterContainer"]?["value"]?.GetValue<string>();

        // Assert: an event the webhook keeps refusing (app down, key rotated) is retried for a day, then kept in a
        // container of the app's account (its own, not one the app binds to) by the topic's identity, not dropped.
        Assert.InRange(subscription["retryPolicy"]!["maxDeliveryAttempts"]!.GetValue<int>(), 10, 30);
        Assert.Equal(1440, subscription["retryPolicy"]!["eventTimeToLiveInMinutes"]!.GetValue<int>());
        Assert.NotNull(deadLetter);
        Assert.Equal("SystemAssigned", deadLetter["identity"]!["type"]!.GetValue<string>());
        Assert.Equal("StorageBlob", deadLetter["deadLetterDestination"]!["endpointType"]!.GetValue<string>());
        var destination = deadLetter["deadLetterDestination"]!["properties"]!;
        Assert.Contains("Microsoft.Storage/storageAccounts", destination["resourceId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.NotNull(destination["blobContainerName"]);
        Assert.Equal("SystemAssigned", topic["identity"]?["type"]?.GetValue<string>());
        var grant = Assert.Single(grants);
        Assert.Contains("Microsoft.EventGrid/systemTopics", grant["properties"]!["principalId"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("deadLetterContainer", grant["scope"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Matches("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", container);
        Assert.DoesNotContain(container!, Names(provisioned, "containers"));
    }

    [Fact]
    public async Task DeployedSettings_EachNamesASettingTheAppReads()
    {
        // Arrange: the options classes the app binds, by section.
        Dictionary<string, Type> sections = new()
        {
            [OrdersOptions.Section] = typeof(OrdersOptions),
            [AssetOptions.SectionName] = typeof(AssetOptions),
            [ImagingOptions.SectionName] = typeof(ImagingOptions),
            [OperationsOptions.Section] = typeof(OperationsOptions),
        };

        // Act
        var settings = await DeployedSettingsAsync();

        // Assert: a misspelt key would be ignored silently in Azure; Flex Consumption refuses the worker-runtime settings.
        Assert.Equal("Production", settings[HostingEnvironment.Setting]);
        Assert.All(settings.Keys.Where(k => k != HostingEnvironment.Setting), key =>
        {
            var parts = key.Split("__");
            Assert.True(parts.Length == 2 && sections.TryGetValue(parts[0], out var type) &&
                type.GetProperty(parts[1], BindingFlags.Public | BindingFlags.Instance)?.CanWrite == true, $"'{key}' is not a setting of the app");
        });
        Assert.DoesNotContain("FUNCTIONS_WORKER_RUNTIME", settings.Keys);
        Assert.DoesNotContain("FUNCTIONS_EXTENSION_VERSION", settings.Keys);
    }

    [Fact]
    public async Task DeployedSettings_FreshAccount_AppStartsServesTheSmokeOrderAndCreatesExactlyTheProvisionedStorage()
    {
        // Arrange: an empty account; nothing from the local sample settings, only what the template deploys (its
        // connections, made for Azurite here, and the task hub name come from template parameters).
        await using var fresh = await Azurite.StartFreshAsync();
        var deployed = await DeployedSettingsAsync();
        using var provisioned = JsonDocument.Parse(await File.ReadAllTextAsync(AppStorageFile));

        // Act: start, then what infra/scripts/smoke.sh does with orders (seed the demo data, one order to Completed).
        await using var orders = new OrdersTestApp(await TestApp.StartAsync(s =>
        {
            s.Clear();
            foreach (var (key, value) in deployed)
            {
                s[key.Replace("__", ":", StringComparison.Ordinal)] = value;
            }

            s["AzureWebJobsStorage"] = s["WorkflowsStorage"] = fresh.ConnectionString;
            s["TaskHubName"] = TestNames.Unique("hub");
        }));
        var request = TestHttp.Request("POST", "/api/orders/demo-data");
        var seeded = await (await orders.App.CreateFunction<DemoDataHttp>().SeedOrderDemoData(request)).ExecuteAsync(request);
        var outcome = await orders.RunOrderAsync(OrderBody.Of(("CB-001", 1)));

        // Assert
        Assert.Equal(200, seeded.StatusCode);
        Assert.Equal(OrderStatus.Completed, outcome.Status);
        Assert.Equal(Names(provisioned, "containers"), await ListAsync(new BlobServiceClient(fresh.ConnectionString).GetBlobContainersAsync(), c => c.Name));
        Assert.Equal(Names(provisioned, "queues"), await ListAsync(new QueueServiceClient(fresh.ConnectionString).GetQueuesAsync(), q => q.Name));
        Assert.Equal(Names(provisioned, "tables"), await ListAsync(new TableServiceClient(fresh.ConnectionString).QueryAsync(), t => t.Name));
    }

    private static async Task<Dictionary<string, string>> DeployedSettingsAsync() =>
        JsonSerializer.Deserialize<Dictionary<string, string>>(await File.ReadAllTextAsync(AppSettingsFile))!;

    private static SortedSet<string> Names(JsonDocument storage, string kind) =>
        new(storage.RootElement.GetProperty(kind).EnumerateArray().Select(e => e.GetString()!), StringComparer.Ordinal);

    private static async Task<SortedSet<string>> ListAsync<T>(IAsyncEnumerable<T> items, Func<T, string> name)
    {
        SortedSet<string> names = new(StringComparer.Ordinal);
        await foreach (var item in items)
        {
            names.Add(name(item));
        }

        return names;
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node) =>
        node switch
        {
            JsonObject o => o.Select(p => p.Value).OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
            JsonArray a => a.OfType<JsonNode>().SelectMany(Descendants).Prepend(node),
            _ => [node],
        };
}
