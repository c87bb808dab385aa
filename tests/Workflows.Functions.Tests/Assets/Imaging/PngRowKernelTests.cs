using Workflows.Assets.Imaging.Png;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>The PNG row decoder's kernels against their plain arithmetic.</summary>
public sealed class PngRowKernelTests
{
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
