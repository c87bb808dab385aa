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
            foreach (int profileWidth in chain.Widths)
            {
                // A huge height bound makes the width the only constraint; Size.Down never upscales.
                Image next = previous is null
                    ? Image.ThumbnailBuffer(image.Bytes, profileWidth, height: 10_000_000, size: Enums.Size.Down).CopyMemory()
                    : previous.ThumbnailImage(profileWidth, height: 10_000_000, size: Enums.Size.Down).CopyMemory();
                previous?.Dispose();
                previous = next;
                byte[] encoded = chain.Format == RenditionFormat.Jpeg
                    ? next.JpegsaveBuffer(q: chain.Quality, keep: Enums.ForeignKeep.None)
                    : next.WebpsaveBuffer(q: chain.Quality, keep: Enums.ForeignKeep.None);
                sink?.Save(Profile.Name(chain.Format, profileWidth), Profile.Extension(chain.Format), encoded);
            }
        }
        finally
        {
            previous?.Dispose();
        }

        return Task.FromResult(OpResult.Done);
    }
}
