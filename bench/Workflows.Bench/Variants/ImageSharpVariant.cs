using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Formats;
using SixLabors.ImageSharp.Formats.Jpeg;
using SixLabors.ImageSharp.Formats.Webp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;
using Workflows.Assets.Imaging;

namespace Workflows.Bench.Variants;

/// <summary>
/// ImageSharp 2.1.13, decode once and cascade: full decode (2.x has no reduced-scale JPEG decode), auto-orient,
/// then each width resized (bicubic, its default) from the previous one. One thread; metadata cleared.
/// </summary>
internal sealed class ImageSharpVariant : IVariant
{
    private static readonly Configuration Single = CreateConfiguration();

    public Task<OpResult> RunAsync(string op, BenchImage image, OutputSink? sink, CancellationToken ct)
    {
        RenditionChain chain = Profile.Chain(op);
        IImageEncoder encoder = chain.Format == RenditionFormat.Jpeg
            ? new JpegEncoder { Quality = chain.Quality, ColorType = JpegColorType.YCbCrRatio420 }
            : new WebpEncoder { Quality = chain.Quality, FileFormat = WebpFileFormatType.Lossy };

        using Image<Rgb24> original = Image.Load<Rgb24>(Single, image.Bytes);
        original.Mutate(x => x.AutoOrient());
        original.Metadata.ExifProfile = null;
        original.Metadata.IccProfile = null;
        original.Metadata.XmpProfile = null;

        Image<Rgb24> current = original;
        try
        {
            foreach (RenditionSize profileSize in chain.Sizes)
            {
                (int width, int height) = Profile.Fit(profileSize, original.Width, original.Height);
                if (current.Width != width)
                {
                    Image<Rgb24> next = current.Clone(x => x.Resize(width, height));
                    if (!ReferenceEquals(current, original))
                    {
                        current.Dispose();
                    }

                    current = next;
                }

                using var encoded = new MemoryStream();
                current.Save(encoded, encoder);
                sink?.Save(Profile.Name(chain.Format, profileSize), Profile.Extension(chain.Format), encoded.GetBuffer().AsSpan(0, (int)encoded.Length));
            }
        }
        finally
        {
            if (!ReferenceEquals(current, original))
            {
                current.Dispose();
            }
        }

        return Task.FromResult(OpResult.Done);
    }

    public void ReleasePools() => Single.MemoryAllocator.ReleaseRetainedResources();

    private static Configuration CreateConfiguration()
    {
        Configuration configuration = Configuration.Default.Clone();
        configuration.MaxDegreeOfParallelism = 1;
        return configuration;
    }
}
