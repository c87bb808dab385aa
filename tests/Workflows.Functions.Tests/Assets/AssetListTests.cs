using Azure.Data.Tables;
using Workflows.Assets;
using Workflows.Assets.Http;
using Workflows.Assets.Storage;
using Workflows.Shared.Http;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary><c>GET /api/assets</c> through the real HTTP server, on containers and tables of each test's own.</summary>
public sealed class AssetListTests : IAsyncLifetime
{
    private HttpTestApp _api = null!;

    public async Task InitializeAsync() => _api = await HttpTestApp.StartAsync(s => AssetsTestApp.Configure(s));

    public async Task DisposeAsync() => await _api.DisposeAsync();

    [Fact]
    public async Task ListAssets_ReadyAndFailed_NewestFirstWithThumbnailsAndReasons()
    {
        // Arrange
        var photo = await _api.UploadReadyAsync("photo.jpg", TestImages.PhotoJpeg(400, 300));
        var broken = await _api.UploadAsync("broken.jpg", TestImages.Truncated(TestImages.PhotoJpeg(400, 300)));
        await _api.WaitForAssetAsync(broken);

        // Act
        var page = await ListAsync("");
        using var thumbnail = await _api.Http.GetAsync(page.Items[1].ThumbnailUrl);

        // Assert
        Assert.Equal([broken, photo], page.Items.Select(a => a.Id));
        Assert.Equal(("Failed", null), (page.Items[0].Status, page.Items[0].ThumbnailUrl));
        Assert.Contains("truncated or corrupt", page.Items[0].FailureReason, StringComparison.Ordinal);
        Assert.Equal(("Ready", "photo.jpg", 400, 300), (page.Items[1].Status, page.Items[1].OriginalName, page.Items[1].Width, page.Items[1].Height));
        Assert.EndsWith($"/api/assets/{photo}/renditions/webp-200", page.Items[1].ThumbnailUrl, StringComparison.Ordinal);
        Assert.Equal(("image/webp", 200), (thumbnail.Content.Headers.ContentType?.MediaType, (int)thumbnail.StatusCode));
    }

    [Fact]
    public async Task ListAssets_ByStatusNamePrefixAndContentType_ReturnsOnlyMatches()
    {
        // Arrange
        var beach = await _api.UploadReadyAsync("Beach day.jpg");
        var beachPng = await _api.UploadReadyAsync("beach-night.png", TestImages.Png(64, 48));
        var city = await _api.UploadReadyAsync("city.jpg");
        var empty = await _api.UploadAsync("beach-empty.jpg", TestImages.Truncated(TestImages.Jpeg(64, 48), 0.3));
        await _api.WaitForAssetAsync(empty);

        // Act
        var byName = await ListAsync("?name=BEACH");
        var readyBeaches = await ListAsync("?name=beach&status=Ready");
        var pngs = await ListAsync("?contentType=image/png");
        var failed = await ListAsync("?status=Failed");

        // Assert
        Assert.Equal([empty, beachPng, beach], byName.Items.Select(a => a.Id));
        Assert.Equal([beachPng, beach], readyBeaches.Items.Select(a => a.Id));
        Assert.Equal([beachPng], pngs.Items.Select(a => a.Id));
        Assert.Equal([empty], failed.Items.Select(a => a.Id));
        Assert.DoesNotContain(city, byName.Items.Select(a => a.Id));
    }

    [Fact]
    public async Task ListAssets_UploadedRange_FromIsInclusiveAndToExclusive()
    {
        // Arrange
        var older = await _api.UploadReadyAsync("older.jpg");
        var newer = await _api.UploadReadyAsync("newer.jpg");
        var at = (await ListAsync("")).Items.Single(a => a.Id == newer).UploadedAt;

        // Act
        var fromNewer = await ListAsync($"?uploadedFrom={Iso(at)}");
        var toNewer = await ListAsync($"?uploadedTo={Iso(at)}");

        // Assert
        Assert.Equal([newer], fromNewer.Items.Select(a => a.Id));
        Assert.Equal([older], toNewer.Items.Select(a => a.Id));
    }

    [Fact]
    public async Task ListAssets_SeveralPagesWhileNewUploadsArrive_EachAssetOnce()
    {
        // Arrange
        List<string> uploaded = [];
        for (var i = 0; i < 5; i++)
        {
            uploaded.Add(await _api.UploadAsync($"p{i}.jpg", TestImages.Jpeg(32, 24)));
        }

        // Act
        List<ListPage<AssetListItem>> pages = [await ListAsync("?pageSize=2")];
        string[] arrived = [await _api.UploadAsync("late1.jpg", TestImages.Jpeg(32, 24)), await _api.UploadAsync("late2.jpg", TestImages.Jpeg(32, 24))];
        while (pages[^1].ContinuationToken is { } token)
        {
            pages.Add(await ListAsync($"?pageSize=2&continuationToken={token}"));
        }

        var fresh = await ListAsync("?pageSize=2");

        // Assert
        Assert.Equal([2, 2, 1], pages.Select(p => p.Items.Count));
        Assert.Equal(Enumerable.Reverse(uploaded), pages.SelectMany(p => p.Items).Select(a => a.Id));
        Assert.Equal(arrived.Reverse(), fresh.Items.Select(a => a.Id));
    }

    [Fact]
    public async Task ListAssets_DeletedAsset_IsNoLongerListed()
    {
        // Arrange
        var kept = await _api.UploadReadyAsync("kept.jpg");
        var deleted = await _api.UploadReadyAsync("deleted.jpg");

        // Act
        (await _api.Http.DeleteAsync($"assets/{deleted}")).Dispose();

        // Assert
        Assert.Equal([kept], (await ListAsync("")).Items.Select(a => a.Id));
    }

    [Fact]
    public async Task ListAssets_RecordChangedWithoutItsIndexWrite_ListedFromTheRecordAndRepaired()
    {
        // Arrange: a lost index write (say, a crash between the two writes) leaves the index saying Ready
        var id = await _api.UploadReadyAsync("photo.jpg");
        var store = _api.Get<AssetStore>();
        var record = (await store.FindAsync(id, CancellationToken.None))!;
        record.Status = "Failed";
        record.FailureReason = "changed behind the index";
        await store.Table.UpdateEntityAsync(record, record.ETag, TableUpdateMode.Replace);
        var beforeRepair = await ListAsync("?status=Failed");

        // Act
        var listed = await ListAsync("");
        var afterRepair = await ListAsync("?status=Failed");

        // Assert
        Assert.Empty(beforeRepair.Items);
        Assert.Equal(("Failed", "changed behind the index"), (listed.Items.Single().Status, listed.Items.Single().FailureReason));
        Assert.Equal([id], afterRepair.Items.Select(a => a.Id));
    }

    [Fact]
    public async Task MarkAssetReady_RetriedAfterItsIndexWriteWasLost_ListsTheAssetAsReady()
    {
        // Arrange: the record is Ready but its index write was lost (a crash between the two), so the index still
        // says Processing; the activity is retried, as the engine does after a crash.
        var id = await _api.UploadReadyAsync("photo.jpg");
        var store = _api.Get<AssetStore>();
        var renditions = AssetStore.DeserializeRenditions((await store.FindAsync(id, CancellationToken.None))!.RenditionsJson);
        var index = _api.Get<TableServiceClient>().GetTableClient(store.Table.Name + "Index");
        var row = index.Query<TableEntity>(e => e.PartitionKey == "assets").Single();
        row["Status"] = "Processing";
        await index.UpdateEntityAsync(row, row.ETag, TableUpdateMode.Replace);

        // Act
        await _api.App.CreateFunction<AssetRecordActivities>().MarkAssetReady(new MarkAssetReadyRequest(id, renditions), CancellationToken.None);

        // Assert
        Assert.Equal([id], (await ListAsync("?status=Ready")).Items.Select(a => a.Id));
        Assert.Empty((await ListAsync("?status=Processing")).Items);
    }

    [Theory]
    [InlineData("status=Done", "status")]
    [InlineData("contentType=jpeg", "contentType")]
    [InlineData("name=a%01b", "name")]
    [InlineData("uploadedFrom=never", "uploadedFrom")]
    [InlineData("pageSize=1000", "pageSize")]
    [InlineData("continuationToken=%2B%2B", "continuationToken")]
    [InlineData("type=image/png", "type")]
    public async Task ListAssets_BadQuery_Returns400NamingTheParameter(string query, string parameter)
    {
        // Act
        var problem = await HttpTestApp.AssertProblemAsync(await _api.Http.GetAsync($"assets?{query}"), 400);

        // Assert
        Assert.True(problem.GetProperty("errors").TryGetProperty(parameter, out _), problem.ToString());
    }

    [Theory]
    [InlineData("'; drop table --")]
    [InlineData("0000000000000000000:../../etc")]
    [InlineData("00000000000000000000000000000")]
    public async Task ListAssets_ChecksummedTokenThatIsNotAPosition_Returns400(string position)
    {
        // Arrange: anyone can build a token that passes the checksum; it must still be a row key of the asset index.
        var token = ContinuationTokens.Encode(position);

        // Act + Assert
        await HttpTestApp.AssertProblemAsync(await _api.Http.GetAsync($"assets?continuationToken={Uri.EscapeDataString(token)}"), 400);
    }

    private Task<ListPage<AssetListItem>> ListAsync(string query) => _api.GetAsync<ListPage<AssetListItem>>($"assets{query}");

    private static string Iso(DateTimeOffset time) => Uri.EscapeDataString(time.ToString("o"));
}
