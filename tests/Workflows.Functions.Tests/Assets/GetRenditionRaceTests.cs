using Microsoft.AspNetCore.Http;
using Workflows.Assets;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary><c>GET /api/assets/{id}/renditions/{name}</c> racing a delete or a re-render that removes the blob.</summary>
public sealed class GetRenditionRaceTests
{
    [Fact]
    public async Task GetRendition_BlobRemovedAfterRecordRead_404ProblemNotServerError()
    {
        // Arrange: the record still lists the rendition, its blob is already gone.
        await using var assets = await AssetsTestApp.StartAsync();
        var (assetId, _) = await assets.UploadAndProcessAsync("photo.jpg", TestImages.Jpeg(600, 400));
        await assets.Store.DeleteRenditionsAsync(assetId, default);

        // Act
        var response = await AssetHttpTests.GetRenditionAsync(assets, assetId, "jpeg-200");

        // Assert
        Assert.Equal(StatusCodes.Status404NotFound, response.StatusCode);
        Assert.StartsWith("application/problem+json", response.ContentType, StringComparison.Ordinal);
    }
}
