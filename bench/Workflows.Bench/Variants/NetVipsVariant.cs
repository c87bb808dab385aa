using NetVips;
using Workflows.Assets.Imaging;

namespace Workflows.Bench.Variants;

/// <summary>
/// libvips as its documentation recommends: <c>thumbnail</c> from the encoded bytes (shrink-on-load: JPEG decoded
/// at 1/2, 1/4 or 1/8 scale, WebP at any scale; EXIF orientation applied), held in memory, and each smaller width
/// thumbnailed from the previous one. One thread, no operation cache, no metadata written.
/// </summary>
internal sealed class NetVipsVariant : IVariant
{
    static NetVipsVariant()
    {
        NetVips.NetVips.Concurrency = 1;
        Cache.Max = 0;
        Cache.MaxFiles = 0;
        Cache.MaxMem = 0;
    }

    public Task<OpResult> RunAsync(string op, BenchImage image, OutputSink? sink, CancellationToken ct)
    {
        RenditionChain chain = Profile.Chain(op);
        Image? previous = null;
        try
        {
            foreach (RenditionSize profileSize in chain.Sizes)
            {
                // libvips fits into a box: a square for the longest edge, a huge height for a width; Size.Down never upscales.
                (int width, int height) = profileSize.Fit switch
                {
                    RenditionFit.Width => (profileSize.Size, 10_000_000),
                    RenditionFit.Box => (profileSize.Size, profileSize.BoxHeight),
                    _ => (profileSize.Size, profileSize.Size),
                };
                Image next = previous is null
                    ? Image.ThumbnailBuffer(image.Bytes, width, height: height, size: Enums.Size.Down).CopyMemory()
                    : previous.ThumbnailImage(width, height: height, size: Enums.Size.Down).CopyMemory();
                previous?.Dispose();
                previous = next;
                byte[] encoded = chain.Format == RenditionFormat.Jpeg
                    ? next.JpegsaveBuffer(q: chain.Quality, keep: Enums.ForeignKeep.None)
                    : next.WebpsaveBuffer(q: chain.Quality, keep: Enums.ForeignKeep.None);
                sink?.Save(Profile.Name(chain.Format, profileSize), Profile.Extension(chain.Format), encoded);
            }
        }
        finally
        {
            previous?.Dispose();
        }

        return Task.FromResult(OpResult.Done);
    }
}
