using System.Collections.Concurrent;
using Workflows.Assets;
using Workflows.Tests.Assets;
using Xunit.Abstractions;

namespace Workflows.Tests.Reliability.Fuzzing;

/// <summary>
/// A sample of the mutated-image corpus (<see cref="ImageFuzzTests.Corpus"/>) uploaded through the whole pipeline on the
/// in-memory engine, then audited from the records and blobs (<see cref="AssetAudit"/>): every upload is an asset
/// that is Ready with exactly its renditions, or Failed with a reason and its original in quarantine and no
/// rendition left behind; a file cut in half is always Failed. Quick: each format's half file, the frames and the
/// bombs; <c>WORKFLOWS_RELIABILITY=long</c>: the whole corpus.
/// </summary>
[Collection(nameof(ReliabilityRunsAlone))]
public sealed class ImagePipelineFuzzTests(ITestOutputHelper output)
{
    [Fact]
    public async Task AssetPipeline_MutatedUploadsOfEveryFormat_ReadyOrFailedWithAReasonOriginalKept()
    {
        // Arrange
        var run = ReliabilityRun.Current;
        await using var assets = await AssetsTestApp.StartAsync();
        var extensions = ImageSeeds.Originals().ToDictionary(s => s.Format, s => s.Extension);
        var sample = ImageFuzzTests.Corpus(run)
            .Where(input => run.IsLong || input.Mutation is "frames" or "bomb" || IsHalf(input.Mutation, input.Content, input.Format))
            .Select((input, n) => (input.Format, input.Mutation, input.Content, Name: $"fuzz-{n}-{input.Format}-{input.Mutation.Replace(' ', '-')}{extensions[input.Format]}"))
            .ToList();
        ConcurrentDictionary<string, (string Mutation, string AssetId)> uploaded = new();

        // Act
        await Parallel.ForEachAsync(sample, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (input, _) =>
            uploaded[input.Name] = (input.Mutation, (await assets.UploadAndProcessAsync(input.Name, input.Content)).AssetId));

        // Assert
        var audit = new Audit();
        await AssetAudit.AuditAsync(audit, assets.Store, assets.Client, uploaded.Values.Select(u => u.AssetId).ToList());
        foreach (var (name, (mutation, assetId)) in uploaded.Where(u => u.Value.Mutation == "truncated"))
        {
            var record = await assets.RecordAsync(assetId);
            if (record.Status != nameof(AssetStatus.Failed))
            {
                audit.Violation("half file not failed", $"{name}: {record.Status}");
            }
        }

        output.WriteLine($"image pipeline fuzzing ({run.Name}, seed {run.Seed}): {uploaded.Count} uploads; " + audit.Figures());
        audit.AssertClean();
    }

    // The quick sample's truncation: the one at half the original's length.
    private static bool IsHalf(string mutation, byte[] content, string format) =>
        mutation == "truncated" && content.Length == ImageSeeds.Originals().Single(s => s.Format == format).Content.Length * 5 / 10;
}
