using Workflows.Assets.Imaging.Png;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>The PNG row decoder's kernels against their plain arithmetic.</summary>
public sealed class PngRowKernelTests
{
    public static TheoryData<byte, int> FiltersByPixelSize()
    {
        var data = new TheoryData<byte, int>();
        for (byte filter = 0; filter <= 4; filter++)
        {
            for (int bpp = 1; bpp <= 4; bpp++)
            {
                data.Add(filter, bpp);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(FiltersByPixelSize))]
    public void Unfilter_RandomRows_EqualsTheBytewiseDefinition(byte filter, int bpp)
    {
        var random = new Random((filter * 10) + bpp);
        foreach (int pixels in (int[])[1, 2, 3, 5, 8, 17, 1000])
        {
            // Arrange: random filtered bytes under a random unfiltered row above
            var row = new byte[pixels * bpp];
            var above = new byte[pixels * bpp];
            random.NextBytes(row);
            random.NextBytes(above);
            byte[] expected = [.. row];

            // Act
            PngUnfilter.UnfilterScalar(filter, expected, above, bpp, 0);
            PngUnfilter.Unfilter(filter, row, above, bpp);

            // Assert
            Assert.Equal(expected, row);
        }
    }

    [Fact]
    public void Unfilter_FilterTypeOutOfRange_Throws()
    {
        Assert.Throws<InvalidDataException>(() => PngUnfilter.Unfilter(5, new byte[12], new byte[12], 3));
    }

    [Fact]
    public void Divide_EveryCountAndSum_IsTheRoundedQuotient()
    {
        // Arrange: every block size up to 8 × 8 and every sum it can have (and more: the whole range the multiply claims)
        for (int count = 1; count <= 64; count++)
        {
            PngPixelWriter.Reciprocal(count, out ulong m, out uint half);
            for (uint sum = 0; sum + half < 1 << 16; sum++)
            {
                // Act
                uint quotient = PngPixelWriter.Divide(sum, m, half);

                // Assert (Assert.Equal per value would take minutes: fail on the first wrong one)
                if (quotient != (sum + half) / (uint)count)
                {
                    Assert.Fail($"({sum} + {half}) / {count}: {quotient}");
                }
            }
        }
    }
}
