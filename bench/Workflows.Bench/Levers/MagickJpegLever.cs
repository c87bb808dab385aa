using System.Globalization;
using System.Runtime.Intrinsics;
using ImageMagick;
using ImageMagick.Configuration;
using ImageMagick.Formats;
using SkiaSharp;
using Workflows.Assets.Imaging.Magick;

namespace Workflows.Bench.Levers;

/// <summary>
/// JPEG through Magick.NET's libjpeg-turbo, which is built with its SIMD code (Skia's copy is not: no
/// <c>JSIMD_*</c> in libSkiaSharp.so): a decode at reduced scale (<c>jpeg:size</c>) straight into the Skia bitmap
/// the app's cascade draws from, and an encode of the cascade's bitmap (q, 4:2:0, no metadata) as Skia's encoder
/// writes it. The app's policy refuses ImageMagick's JPEG coder, so this worker initialises ImageMagick first with the
/// same policy plus JPEG and makes ImageMagick load it (it reads its policy once, on the first coder check); the
/// app's own initialisation that follows then changes only the resource limits, which stay the app's.
/// </summary>
internal static class MagickJpegLever
{
    private const string JpegCoders = "{JPEG,JPG}";

    private static readonly Lazy<bool> Initialized = new(() =>
    {
        IConfigurationFiles configuration = ConfigurationFiles.Default;
        configuration.Policy.Data = $"""
            <policymap>
              <policy domain="delegate" rights="none" pattern="*" />
              <policy domain="coder" rights="none" pattern="*" />
              <policy domain="coder" rights="read | write" pattern="{MagickRuntime.Coders}" />
              <policy domain="coder" rights="write" pattern="{MagickRuntime.RenditionCoders}" />
              <policy domain="coder" rights="read | write" pattern="{JpegCoders}" />
              <policy domain="path" rights="none" pattern="@*" />
              <policy domain="cache" name="memory-map" value="anonymous" />
            </policymap>
            """;
        MagickNET.Initialize(configuration);
        using (var probe = new MagickImage())
        {
            probe.ReadPixels(new byte[] { 255, 255, 255 }, new PixelReadSettings(1, 1, StorageType.Char, "RGB"));
            probe.Write(Stream.Null, MagickFormat.Jpeg); // loads the policy above: JPEG is written only if it holds
        }

        MagickRuntime.EnsureInitialized();
        return true;
    });

    /// <summary>Before anything else in this process touches ImageMagick.</summary>
    public static void EnsureInitialized() => _ = Initialized.Value;

    /// <summary>An opaque sRGB BGRA bitmap at the libjpeg-turbo scale that covers <paramref name="size"/>.</summary>
    public static SKBitmap Decode(SKData jpeg, SKSizeI size)
    {
        EnsureInitialized();
        var settings = new MagickReadSettings { Format = MagickFormat.Jpeg, FrameIndex = 0, FrameCount = 1 };
        settings.SetDefine(MagickFormat.Jpeg, "size", string.Create(CultureInfo.InvariantCulture, $"{size.Width}x{size.Height}"));
        using var image = new MagickImage();
        MagickErrors.Guard(() => image.Read(jpeg.Span, settings));
        MagickErrors.Guard(() => MagickColour.ToSrgb(image));
        return image.ChannelCount == 3 && !image.HasAlpha ? ToBgra(image) : MagickColour.ToBitmap(image);
    }

    /// <summary>A baseline JPEG of an opaque BGRA bitmap, 4:2:0, Huffman tables not optimised (as Skia's and cjpeg's); positioned at 0.</summary>
    public static MemoryStream Encode(SKBitmap bitmap, int quality)
    {
        EnsureInitialized();
        if (bitmap.ColorType != SKColorType.Bgra8888 || bitmap.AlphaType != SKAlphaType.Opaque || bitmap.RowBytes != bitmap.Width * 4)
        {
            throw new ArgumentException($"Expected opaque packed BGRA, got {bitmap.ColorType} {bitmap.AlphaType}.", nameof(bitmap));
        }

        using var image = new MagickImage();
        image.ReadPixels(bitmap.GetPixelSpan(), new PixelReadSettings((uint)bitmap.Width, (uint)bitmap.Height, StorageType.Char, "BGRP"));
        image.Quality = (uint)quality;
        var output = new MemoryStream();
        image.Write(output, new JpegWriteDefines { SamplingFactor = JpegSamplingFactor.Ratio420, OptimizeCoding = false });
        output.Position = 0;
        return output;
    }

    // ImageMagick's 8-bit cache holds RGB, three bytes a pixel: four pixels a shuffle into BGRA, alpha set.
    private static unsafe SKBitmap ToBgra(MagickImage image)
    {
        int width = (int)image.Width;
        int height = (int)image.Height;
        var bitmap = new SKBitmap(new SKImageInfo(width, height, SKColorType.Bgra8888, SKAlphaType.Opaque, SKColorSpace.CreateSrgb()));
        using IUnsafePixelCollection<byte> pixels = image.GetPixelsUnsafe();
        byte* source = (byte*)pixels.GetAreaPointer(0, 0, (uint)width, (uint)height);
        byte* target = (byte*)bitmap.GetPixels();
        long count = (long)width * height;
        Vector128<byte> order = Vector128.Create((byte)2, 1, 0, 255, 5, 4, 3, 255, 8, 7, 6, 255, 11, 10, 9, 255);
        Vector128<byte> alpha = Vector128.Create(0xFF000000u).AsByte();
        long i = 0;
        for (; i + 6 <= count; i += 4)
        {
            Vector128<byte> rgb = Vector128.Load(source + (i * 3));
            (Vector128.Shuffle(rgb, order) | alpha).Store(target + (i * 4));
        }

        for (; i < count; i++)
        {
            target[(i * 4) + 0] = source[(i * 3) + 2];
            target[(i * 4) + 1] = source[(i * 3) + 1];
            target[(i * 4) + 2] = source[i * 3];
            target[(i * 4) + 3] = 255;
        }

        bitmap.SetImmutable();
        return bitmap;
    }
}
