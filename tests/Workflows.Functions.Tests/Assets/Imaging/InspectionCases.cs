using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Tests.Reliability.Fuzzing;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// What the activities make of an original, as the WebP and PNG extent tests check it: inspection of what
/// <see cref="InspectionExtent"/> reads, then the rendering of the whole file; and the bounds on what inspection reads
/// of a file whose chunks lie or are damaged.
/// </summary>
internal sealed class InspectionCases : IDisposable
{
    private readonly ServiceProvider _services =
        new ServiceCollection().AddLogging().AddImaging(new ConfigurationBuilder().Build()).BuildServiceProvider();

    public static async Task<ImageInspection> InspectAsync(Stream content)
    {
        using var timeout = new Deadline(TimeSpan.FromSeconds(60));
        return await new ImageInspector(ImageLimits.Default).InspectAsync(content, timeout.Token);
    }

    /// <summary>
    /// What inspection reads of <paramref name="file"/>, asserted to take at most <paramref name="maxReads"/> ranged
    /// reads and the rest of the file, and at most twice its bytes (plus <paramref name="slack"/>).
    /// </summary>
    public static OriginalParts ReadBounded(byte[] file, int maxReads, long slack = 0)
    {
        OriginalParts read = InspectionExtent.Read(file);
        Assert.True(read.Reads >= 1 && read.Reads <= maxReads + 1 && read.BytesRead <= (2L * file.Length) + slack,
            $"{read.BytesRead} bytes in {read.Reads} reads of {file.Length}");
        return read;
    }

    /// <summary>As the activities do: inspect what inspection reads, render from the whole file; "rendered" or why not.</summary>
    public async Task<string> InspectAndRenderAsync(Stream inspected, byte[] whole)
    {
        var imaging = new AssetImaging(
            _services.GetRequiredService<RenditionProfile>(), _services.GetRequiredService<ImageInspector>(), _services.GetRequiredService<RenditionRenderer>());
        using var timeout = new Deadline(TimeSpan.FromMinutes(5));
        string stage = "inspection";
        try
        {
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            await imaging.InspectAsync(inspected, timeout.Token);
            stage = "rendering";
            await imaging.RenderRenditionsAsync(new MemoryStream(whole), hash, imaging.Profile.Chains, (_, r, ct) => r.CopyToAsync(Stream.Null, ct), timeout.Token);
            return "rendered";
        }
        catch (ImageRejectedException ex) when (!string.IsNullOrWhiteSpace(ex.Message))
        {
            return $"rejected (at {stage}): {ex.Message}";
        }
    }

    /// <summary>
    /// <paramref name="seed"/> damaged 200 ways (bit flips, cuts: <see cref="ImageMutations"/>), each read within the
    /// bounds, inspected and rendered: one that renders must have the inspection of its whole file (no metadata it
    /// does not hold). Returns the outcomes counted.
    /// </summary>
    public async Task<string> MutationsAsync(string format, byte[] seed, int maxReads)
    {
        var mutations = ImageMutations.Of(format, seed, new Random(11), bitFlips: 200).ToList();
        Dictionary<string, int> outcomes = [];
        int mostReads = 0;
        foreach (var (mutation, content) in mutations)
        {
            OriginalParts read = ReadBounded(content, maxReads, InspectionExtent.MaxHeaderBytes);
            mostReads = Math.Max(mostReads, read.Reads);
            string outcome = (await InspectAndRenderAsync(InspectionExtent.Open(read), content)).Split(':')[0];
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
            if (outcome == "rendered")
            {
                Assert.Equal(await InspectAsync(new MemoryStream(content)), await InspectAsync(InspectionExtent.Open(read)));
            }
        }

        return $"{mutations.Count} mutated {format} files of {seed.Length} bytes: " +
            string.Join(", ", outcomes.Select(o => $"{o.Value} {o.Key}")) + $"; at most {mostReads} reads";
    }

    public void Dispose() => _services.Dispose();
}
