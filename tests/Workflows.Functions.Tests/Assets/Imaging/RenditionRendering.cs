using SkiaSharp;
using Workflows.Assets.Imaging;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>Runs the renderer into memory and keeps every rendition it wrote, for assertions.</summary>
internal sealed class RenditionRendering
{
    public Dictionary<string, byte[]> Written { get; } = [];

    public List<string> BlobNames { get; } = [];

    public static Task<(IReadOnlyList<RenditionInfo> Infos, RenditionRendering Output)> RenderAsync(
        byte[] original, RenditionChain chain, DecodeLimiter? limiter = null, Action? onWrite = null) =>
        RenderAsync(original, [chain], limiter, onWrite);

    public static async Task<(IReadOnlyList<RenditionInfo> Infos, RenditionRendering Output)> RenderAsync(
        byte[] original, IReadOnlyList<RenditionChain> chains, DecodeLimiter? limiter = null, Action? onWrite = null)
    {
        using var ownLimiter = new DecodeLimiter(1);
        var output = new RenditionRendering();
        var renderer = new RenditionRenderer(limiter ?? ownLimiter, ImageLimits.Default);
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));
        IReadOnlyList<RenditionInfo> infos = await renderer.RenderAsync(
            new MemoryStream(original),
            chains,
            async (target, content, ct) =>
            {
                onWrite?.Invoke();
                using var copy = new MemoryStream();
                await content.CopyToAsync(copy, ct);
                output.Written.Add(target.Name, copy.ToArray());
                output.BlobNames.Add(target.BlobName("asset-1"));
            },
            timeout.Token);
        return (infos, output);
    }

    public static (SKEncodedImageFormat Format, int Width, int Height) Describe(byte[] encoded)
    {
        using SKCodec codec = SKCodec.Create(new MemoryStream(encoded)) ?? throw new InvalidOperationException("not an image");
        return (codec.EncodedFormat, codec.Info.Width, codec.Info.Height);
    }
}
