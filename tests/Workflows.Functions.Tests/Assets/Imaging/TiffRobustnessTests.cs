using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>Damaged TIFFs, byte by random byte: the readers may accept or reject them, but never fail any other way.</summary>
public sealed class TiffRobustnessTests
{
    public static TheoryData<string> Variants => ["lzw-predictor", "deflate-tiled-big-endian", "packbits-planar-rgba", "uncompressed-16-bit-gray", "palette-lzw"];

    [Theory]
    [MemberData(nameof(Variants))]
    public void Decode_RandomlyDamagedTiff_DecodesOrRejectsNeverCrashes(string variant)
    {
        // Arrange: small files, so the damage lands in the header as often as in the pixel data.
        TestTiff options = variant switch
        {
            "lzw-predictor" => new(TestTiffCompression.Lzw, Predictor: true),
            "deflate-tiled-big-endian" => new(TestTiffCompression.Deflate, BigEndian: true, Tiled: true),
            "packbits-planar-rgba" => new(TestTiffCompression.PackBits, Colour: TestTiffColour.Rgba, Planar: true),
            "uncompressed-16-bit-gray" => new(Colour: TestTiffColour.Gray, Bits: 16),
            _ => new(TestTiffCompression.Lzw, Colour: TestTiffColour.Palette),
        };
        byte[] original = TestImages.Tiff(40, 36, options with { Exif = TestExif.PhonePortrait });
        var random = new Random(variant.Length);
        var outcomes = new Dictionary<string, int>();

        // Act
        for (int attempt = 0; attempt < 300; attempt++)
        {
            byte[] damaged = Damage(original, random);
            string outcome = "decoded";
            _ = PhotoMetadataReader.Read(new MemoryStream(damaged)); // MetadataExtractor reads the same damaged IFDs
            try
            {
                using SKData content = SKData.CreateCopy(damaged);
                using ImageDecoder image = ImageDecoder.Open(content, new ImageLimits(1_000_000, 4_000));
                image.Verify();
                using SKBitmap bitmap = image.Decode(1);
            }
            catch (ImageRejectedException)
            {
                outcome = "rejected";
            }

            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        // Assert: reaching here means no other exception escaped; both outcomes occur.
        Assert.Equal(2, outcomes.Count);
    }

    private static byte[] Damage(byte[] original, Random random)
    {
        byte[] copy = (byte[])original.Clone();
        switch (random.Next(3))
        {
            case 0: // a few bytes anywhere after the signature
                for (int i = random.Next(1, 4); i > 0; i--)
                {
                    copy[random.Next(4, copy.Length)] = (byte)random.Next(256);
                }

                return copy;
            case 1: // a byte in the header and IFD0, where offsets and counts live
                copy[random.Next(4, Math.Min(copy.Length, 200))] = (byte)random.Next(256);
                return copy;
            default: // cut short
                return copy[..random.Next(8, copy.Length)];
        }
    }
}
