using System.Globalization;
using System.Runtime.InteropServices;
using SkiaSharp;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Imaging.Magick;
using Workflows.Assets.Imaging.Skia;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Levers;

/// <summary>
/// Each operation is the app's path with one lever changed (or split into stages), built from the app's own
/// imaging code so the difference to the <c>app</c> variant is the lever alone. See <see cref="LeverCatalog"/>.
/// </summary>
internal sealed class LeverVariant : IVariant
{
    private readonly IAssetImaging _imaging = CreateImaging();

    private static IAssetImaging CreateImaging()
    {
        MagickJpegLever.EnsureInitialized(); // its policy must be ImageMagick's first
        return AppVariant.CreateImaging();
    }

    public async Task<OpResult> RunAsync(string op, BenchImage image, OutputSink? sink, CancellationToken ct)
    {
        RenditionChain jpeg = Profile.Chain(RenditionFormat.Jpeg);
        RenditionChain webp = Profile.Chain(RenditionFormat.Webp);
        switch (op)
        {
            case "stages-jpeg":
                return Staged(image, [jpeg], sink);
            case "stages-webp":
                return Staged(image, [webp], sink);
            case "shared-decode":
                return Staged(image, [jpeg, webp], sink);
            case ['w', 'e', 'b', 'p', '-', 'm', var method, '-', 'q', .. var quality]:
                return Staged(image, [webp with { Quality = int.Parse(quality, CultureInfo.InvariantCulture) }], sink,
                    encode: (bitmap, chain) => MagickEncoder.EncodeWebp(bitmap, chain.Quality, method - '0'));
            case ['w', 'e', 'b', 'p', '-', 'q', .. var quality]:
                return Staged(image, [webp with { Quality = int.Parse(quality, CultureInfo.InvariantCulture) }], sink);
            case ['w', 'e', 'b', 'p', '-', 'm', var method]:
                return Staged(image, [webp], sink, encode: (bitmap, chain) => MagickEncoder.EncodeWebp(bitmap, chain.Quality, method - '0'));
            case "magick-decode" or "magick-encode" or "magick-both":
                return MagickJpeg(op, image, jpeg, sink);
            case "jpeg-full-decode":
                return Staged(image, [jpeg], sink, fullDecode: true);
            case "webp-800-200":
                await _imaging.RenderRenditionsAsync(new MemoryStream(image.Bytes, writable: false), originalHash: null, [webp with { Sizes = [RenditionSize.LongestEdge(800), RenditionSize.LongestEdge(200)] }],
                    (target, encoded, _) =>
                    {
                        sink?.Save(target.Name, target.Extension, encoded);
                        return Task.CompletedTask;
                    },
                    ct);
                return OpResult.Done;
            case "verify-scanline":
                using (SKData data = SKData.CreateCopy(image.Bytes))
                using (SKCodec codec = SKCodec.Create(data))
                {
                    DecodeEveryRow(codec);
                }

                return OpResult.Done;
            case "verify-structure":
                return JpegStructure.IsComplete(image.Bytes) ? OpResult.Done : throw new InvalidDataException("The JPEG is incomplete.");
            case "verify-getpixels":
                using (SKData data = SKData.CreateCopy(image.Bytes))
                using (SKCodec codec = SKCodec.Create(data))
                using (SkiaDecoding.Decode(codec, 1))
                {
                    return OpResult.Done;
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }
    }

    /// <summary>The app's verifying decode until 2026-12-03 (every row at 1/8 scale into one reused row): now only the rendering's decode proves the pixels.</summary>
    private static void DecodeEveryRow(SKCodec codec)
    {
        SKSizeI size = codec.GetScaledDimensions(1 / 8f);
        var info = new SKImageInfo(size.Width, size.Height, SKImageInfo.PlatformColorType, SKAlphaType.Premul);
        if (codec.StartScanlineDecode(info) != SKCodecResult.Success)
        {
            throw new InvalidDataException("No scanline decode.");
        }

        IntPtr row = Marshal.AllocHGlobal(info.RowBytes);
        try
        {
            for (int y = 0; y < info.Height; y++)
            {
                if (codec.GetScanlines(row, 1, info.RowBytes) != 1)
                {
                    throw new InvalidDataException("The JPEG is incomplete.");
                }
            }
        }
        finally
        {
            Marshal.FreeHGlobal(row);
        }
    }

    private static OpResult Staged(
        BenchImage image, RenditionChain[] chains, OutputSink? sink, bool fullDecode = false, Func<SKBitmap, RenditionChain, MemoryStream>? encode = null)
    {
        using SKData content = SKData.CreateCopy(image.Bytes);
        using ImageDecoder decoder = ImageDecoder.Open(content, ImageLimits.Default);
        Dictionary<string, double> stages = StagedCascade.Render(
            width => decoder.Decode(fullDecode ? int.MaxValue : width), decoder.Size, decoder.Origin, chains, sink, encode);
        return new OpResult(Metrics: stages);
    }

    /// <summary>The JPEG chain with its decode, its encodes or both through Magick.NET's libjpeg-turbo (<see cref="MagickJpegLever"/>).</summary>
    private static OpResult MagickJpeg(string op, BenchImage image, RenditionChain jpeg, OutputSink? sink)
    {
        using SKData content = SKData.CreateCopy(image.Bytes);
        using ImageDecoder decoder = ImageDecoder.Open(content, ImageLimits.Default);
        Func<int, SKBitmap> decode = op == "magick-encode"
            ? width => decoder.Decode(width)
            : width => MagickJpegLever.Decode(content, decoder.DecodeSize(width));
        Func<SKBitmap, RenditionChain, MemoryStream>? encode = op == "magick-decode"
            ? null
            : (bitmap, chain) => MagickJpegLever.Encode(bitmap, chain.Quality);
        return new OpResult(Metrics: StagedCascade.Render(decode, decoder.Size, decoder.Origin, [jpeg], sink, encode));
    }
}
