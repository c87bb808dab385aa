using System.Text.Json;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Uploads;

namespace Workflows.Tests.Assets;

/// <summary>The bindings the Functions host will index, read from the functions.metadata the Worker SDK generates.</summary>
public sealed class AssetFunctionMetadataTests
{
    private static readonly Lazy<Dictionary<string, JsonElement>> Triggers = new(() =>
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")));
        return document.RootElement.EnumerateArray().ToDictionary(
            f => f.GetProperty("name").GetString()!,
            f => f.GetProperty("bindings").EnumerateArray().First(b => b.GetProperty("type").GetString()!.EndsWith("Trigger", StringComparison.Ordinal)).Clone());
    });

    [Theory]
    [InlineData(nameof(UploadAssetHttp.UploadAsset), "post", "assets", "Function")]
    [InlineData(nameof(DeleteAssetHttp.DeleteAsset), "delete", "assets/{id}", "Function")]
    [InlineData(nameof(AssetQueryHttp.GetAsset), "get", "assets/{id}", "Function")]
    [InlineData(nameof(AssetQueryHttp.GetRendition), "get", "assets/{id}/renditions/{name}", "Function")]
    [InlineData(nameof(ReprocessAssetsHttp.ReprocessAssets), "post", "assets/reprocess", "Admin")]
    [InlineData(nameof(ReprocessAssetsHttp.GetReprocessStatus), "get", "assets/reprocess/{instanceId}", "Admin")]
    public void HttpFunctions_RouteMethodAndKeyAsDocumented(string function, string method, string route, string authLevel)
    {
        var trigger = Triggers.Value[function];
        Assert.Equal(route, trigger.GetProperty("route").GetString());
        Assert.Equal([method], trigger.GetProperty("methods").EnumerateArray().Select(m => m.GetString()));
        Assert.Equal(authLevel, trigger.GetProperty("authLevel").GetString());
    }

    [Fact]
    public void StorageTriggers_WatchTheConfiguredUploadsThePoisonQueueAndRunEveryFiveMinutes()
    {
        var blob = Triggers.Value[nameof(AssetUploadedTrigger.AssetUploaded)];
        Assert.Equal("%Assets:UploadsContainer%/{name}", blob.GetProperty("path").GetString());
        Assert.Equal("WorkflowsStorage", blob.GetProperty("connection").GetString());
        var poison = Triggers.Value[nameof(UploadPoisonHandler.UploadPoisoned)];
        Assert.Equal("webjobs-blobtrigger-poison", poison.GetProperty("queueName").GetString());
        Assert.Equal("WorkflowsStorage", poison.GetProperty("connection").GetString());
        Assert.Equal("0 */1 * * * *", Triggers.Value[nameof(UploadSweepTimer.SweepUploads)].GetProperty("schedule").GetString());
        Assert.Equal("0 */15 * * * *", Triggers.Value[nameof(StuckAssetSweep.SettleStuckAssets)].GetProperty("schedule").GetString());
    }
}
