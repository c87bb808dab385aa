using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Bench.Harness;
using Workflows.Bench.Variants;

namespace Workflows.Bench.Levers;

/// <summary>
/// The app's rendering steps (its decoder, <c>ImageTransforms.Draw</c> and <c>RenditionRenderer.Encode</c>), run
/// as one cascade that may feed several formats from one decode, timing each stage (CPU ms): <c>decode</c>,
/// <c>draw-{width}</c>, <c>{format}-{width}</c>. With both chains it measures the shared-decode lever; with one, the
/// app's own chain split into stages.
/// </summary>
internal static class StagedCascade
{
    /// <param name="decode">Decodes at the smallest scale whose upright width is at least the given width.</param>
    /// <param name="encode">Encodes one rendition instead of the app's <c>RenditionRenderer.Encode</c> (a lever), positioned at 0.</param>
    public static Dictionary<string, double> Render(
        Func<int, SKBitmap> decode, SKSizeI stored, SKEncodedOrigin origin, IReadOnlyList<RenditionChain> chains, OutputSink? sink,
        Func<SKBitmap, RenditionChain, MemoryStream>? encode = null)
    {
        Dictionary<string, double> stages = [];
        TimeSpan mark = ProcessStats.SelfCpu();
        void Stage(string name)
        {
            TimeSpan now = ProcessStats.SelfCpu();
            stages[name] = stages.GetValueOrDefault(name) + (now - mark).TotalMilliseconds;
            mark = now;
        }

        bool swap = (int)origin >= 5;
        int uprightWidth = swap ? stored.Height : stored.Width;
        int uprightHeight = swap ? stored.Width : stored.Height;
        SKBitmap? previous = null;
        try
        {
            foreach (RenditionSize profileSize in chains[0].Sizes)
            {
                (int width, int height) = Profile.Fit(profileSize, uprightWidth, uprightHeight);
                if (previous is null)
                {
                    using SKBitmap decoded = decode(width);
                    Stage("decode");
                    previous = ImageTransforms.Draw(decoded, origin, width, height, SKColors.White);
                }
                else if (previous.Width != width || previous.Height != height)
                {
                    SKBitmap smaller = ImageTransforms.Draw(previous, SKEncodedOrigin.TopLeft, width, height, SKColors.White);
                    previous.Dispose();
                    previous = smaller;
                }

                Stage($"draw-{profileSize.Name}");
                foreach (RenditionChain chain in chains)
                {
                    using MemoryStream encoded = encode is null
                        ? RenditionRenderer.Encode(previous, chain.Format, chain.Quality)
                        : encode(previous, chain);
                    Stage($"{chain.Name}-{profileSize.Name}");
                    sink?.Save(Profile.Name(chain.Format, profileSize), Profile.Extension(chain.Format), encoded);
                    mark = ProcessStats.SelfCpu(); // keeping the output is not part of the work
                }
            }
        }
        finally
        {
            previous?.Dispose();
        }

        return stages;
    }
}
