using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Storage.Blobs;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;
using Workflows.Hosting;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets;

/// <summary>
/// Inspection's ranged reads of an original on Azurite (<see cref="OriginalReads"/>): the parts
/// <see cref="InspectionExtent"/> asks for, each pinned to the version first read.
/// </summary>
public sealed class OriginalReadsTests
{
    private static readonly byte[] Webp = TestImages.PhotoWebp(1280, 960, TestExif.PhonePortrait, TestImages.Xmp("Contoso", "Lens 12", new DateTime(2024, 5, 17)));

    [Fact]
    public async Task OpenForInspection_WebpWithMetadataAfterItsImageData_TheRangedReadsInspectionAsksFor()
    {
        // Arrange
        var ranges = new RangedReads();
        var (blob, etag) = await UploadAsync(ranges);

        // Act
        await using var content = await OriginalReads.OpenForInspectionAsync(blob, Webp.Length, etag, CancellationToken.None);
        using var copy = new MemoryStream();
        await content.CopyToAsync(copy);

        // Assert
        OriginalParts expected = InspectionExtent.Read(Webp);
        using var view = new MemoryStream();
        await InspectionExtent.Open(expected).CopyToAsync(view);
        Assert.Equal(view.ToArray(), copy.ToArray());
        Assert.Equal((expected.Reads, expected.BytesRead), (ranges.Count, ranges.Bytes));
        Assert.True(expected.Reads >= 2, "the metadata after the image data is a read of its own");
    }

    [Fact]
    public async Task OpenForInspection_OriginalReplacedAfterTheFirstRead_LaterReadRefusedAsStale()
    {
        // Arrange: the blob is overwritten right after the first ranged read answers.
        var ranges = new RangedReads();
        var (blob, etag) = await UploadAsync(ranges);
        var writer = new BlobServiceClient(await ConnectionStringAsync()).GetBlobContainerClient(blob.BlobContainerName).GetBlobClient(blob.Name);
        ranges.AfterFirst = () => writer.UploadAsync(BinaryData.FromBytes(TestImages.Webp(64, 48)), overwrite: true);

        // Act
        var failure = await Assert.ThrowsAsync<RequestFailedException>(
            () => OriginalReads.OpenForInspectionAsync(blob, Webp.Length, etag, CancellationToken.None));

        // Assert
        Assert.Equal(412, failure.Status);
        Assert.Equal(1, ranges.Count);
    }

    private static async Task<(BlobClient Blob, ETag ETag)> UploadAsync(RangedReads ranges)
    {
        var options = new BlobClientOptions();
        options.AddPolicy(ranges, HttpPipelinePosition.PerCall);
        var service = new BlobServiceClient(await ConnectionStringAsync(), options);
        var container = service.GetBlobContainerClient("reads-" + Guid.NewGuid().ToString("N")[..12]);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient("original");
        var uploaded = await blob.UploadAsync(BinaryData.FromBytes(Webp));
        return (blob, uploaded.Value.ETag);
    }

    private static async Task<string> ConnectionStringAsync() => (await Azurite.GetAsync()).ConnectionString;

    /// <summary>Counts successful ranged GETs (206) and their bytes; runs <see cref="AfterFirst"/> once after the first.</summary>
    private sealed class RangedReads : HttpPipelinePolicy
    {
        public Func<Task>? AfterFirst;

        public int Count { get; private set; }

        public long Bytes { get; private set; }

        public override void Process(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline) =>
            throw new NotSupportedException("Inspection reads asynchronously.");

        public override async ValueTask ProcessAsync(HttpMessage message, ReadOnlyMemory<HttpPipelinePolicy> pipeline)
        {
            await ProcessNextAsync(message, pipeline);
            if (message.Request.Method == RequestMethod.Get && message.Response.Status == 206)
            {
                Count++;
                Bytes += message.Response.Headers.ContentLength ?? 0;
                if (Count == 1 && AfterFirst is { } after)
                {
                    await after();
                }
            }
        }
    }
}
