using SkiaSharp;
using Workflows.Assets.Imaging;

namespace Workflows.Bench.Variants;

/// <summary>
/// SkiaSharp as a user would write it from its documentation: <see cref="SKCodec"/> decode at the scale the
/// codec offers for the largest width, turned upright on a canvas, then <see cref="SKBitmap.Resize(SKImageInfo, SKSamplingOptions)"/>
/// to each width (trilinear mipmaps, Skia's high-quality downscale) and <see cref="SKBitmap.Encode(Stream, SKEncodedImageFormat, int)"/>.
/// </summary>
internal sealed class SkiaVariant : IVariant
{
    private static readonly SKSamplingOptions Sampling = new(SKFilterMode.Linear, SKMipmapMode.Linear);

    public Task<OpResult> RunAsync(string op, BenchImage image, OutputSink? sink, CancellationToken ct)
    {
        RenditionChain chain = Profile.Chain(op);
        using var data = SKData.CreateCopy(image.Bytes);
        using SKCodec codec = SKCodec.Create(data) ?? throw new InvalidDataException("Skia cannot decode this format.");
        bool swap = (int)codec.EncodedOrigin >= 5;
        int storedUprightWidth = swap ? codec.Info.Height : codec.Info.Width;
        int largestWidth = Profile.Fit(chain.Sizes[0], storedUprightWidth, swap ? codec.Info.Width : codec.Info.Height).Width;
        SKSizeI scaled = codec.GetScaledDimensions(Math.Min(1f, largestWidth / (float)storedUprightWidth));
        using SKBitmap decoded = SKBitmap.Decode(codec, codec.Info.WithSize(scaled));
        using SKBitmap? turned = Turn(decoded, codec.EncodedOrigin);
        SKBitmap upright = turned ?? decoded;

        foreach (RenditionSize profileSize in chain.Sizes)
        {
            (int width, int height) = Profile.Fit(profileSize, upright.Width, upright.Height);
            using SKBitmap resized = upright.Resize(upright.Info.WithSize(width, height), Sampling);
            using var encoded = new MemoryStream();
            resized.Encode(encoded, chain.Format == RenditionFormat.Jpeg ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Webp, chain.Quality);
            sink?.Save(Profile.Name(chain.Format, profileSize), Profile.Extension(chain.Format), encoded.GetBuffer().AsSpan(0, (int)encoded.Length));
        }

        return Task.FromResult(OpResult.Done);
    }

    /// <summary>The three turns phone cameras write (orientations 3, 6, 8); mirrored ones are rare enough to leave.</summary>
    private static SKBitmap? Turn(SKBitmap decoded, SKEncodedOrigin origin)
    {
        (float degrees, bool swap) = origin switch
        {
            SKEncodedOrigin.BottomRight => (180f, false),
            SKEncodedOrigin.RightTop => (90f, true),
            SKEncodedOrigin.LeftBottom => (270f, true),
            _ => (0f, false),
        };
        if (degrees == 0)
        {
            return null;
        }

        var upright = new SKBitmap(decoded.Info.WithSize(swap ? decoded.Height : decoded.Width, swap ? decoded.Width : decoded.Height));
        using var canvas = new SKCanvas(upright);
        canvas.Translate(upright.Width / 2f, upright.Height / 2f);
        canvas.RotateDegrees(degrees);
        canvas.Translate(-decoded.Width / 2f, -decoded.Height / 2f);
        using SKImage pixels = SKImage.FromBitmap(decoded);
        canvas.DrawImage(pixels, 0, 0, new SKSamplingOptions(SKFilterMode.Nearest));
        return upright;
    }
}
