using System.Security.Cryptography;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Workflows.Assets;
using Workflows.Assets.Imaging;
using Workflows.Assets.Storage;

namespace Workflows.Bench.Variants;

/// <summary>
/// The app's own code path: the <see cref="IAssetImaging"/> that <c>InspectUpload</c> and <c>RenderRenditions</c>
/// call, built by the app's composition (<c>AddAssets</c>, default settings). <c>jpeg</c> and <c>webp</c> render
/// one chain of the profile alone; <c>asset</c> is one asset end to end as the pipeline runs it: inspect, then every
/// chain of the profile from one decode (the <c>RenderRenditions</c> activity).
/// </summary>
internal sealed class AppVariant : IVariant
{
    private readonly IAssetImaging _imaging = CreateImaging();

    /// <summary>The imaging service as the app's composition root registers it, with default settings.</summary>
    public static IAssetImaging CreateImaging()
    {
        IConfiguration configuration = new ConfigurationBuilder().Build();
        return new ServiceCollection()
            .AddSingleton(configuration)
            .AddLogging()
            .AddAssets(configuration)
            .BuildServiceProvider()
            .GetRequiredService<IAssetImaging>();
    }

    public async Task<OpResult> RunAsync(string op, BenchImage image, OutputSink? sink, CancellationToken ct)
    {
        switch (op)
        {
            case "inspect":
                await InspectAsync(image, ct);
                break;
            case "jpeg" or "webp":
                await RenderAsync(image, [.. _imaging.Profile.Chains.Where(c => c.Name == op)], sink, ct);
                break;
            case "asset":
                await InspectAsync(image, ct);
                await RenderAsync(image, _imaging.Profile.Chains, sink, ct);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(op), op, null);
        }

        return OpResult.Done;
    }

    // As InspectUpload reads it (OriginalReads): ranged reads of the parts inspection needs, each a copy, or the rest of
    // the file as a stream (a blob read, here the file in memory, never copied whole).
    private async Task<ImageInspection> InspectAsync(BenchImage image, CancellationToken ct)
    {
        byte[] file = image.Bytes;
        await using Stream content = await OriginalReads.OpenForInspectionAsync(
            file.Length,
            (range, _) => Task.FromResult(file[(int)range.Start..(int)range.End]),
            (position, _) => Task.FromResult<Stream>(new MemoryStream(file, writable: false) { Position = position }),
            ct);
        return await _imaging.InspectAsync(content, ct);
    }

    // As RenderRenditions reads it: all of it, hashed (SHA-256) on the way.
    private async Task<IReadOnlyList<RenditionInfo>> RenderAsync(BenchImage image, IReadOnlyList<RenditionChain> chains, OutputSink? sink, CancellationToken ct)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        return await _imaging.RenderRenditionsAsync(
            new MemoryStream(image.Bytes, writable: false),
            hash,
            chains,
            (target, encoded, _) =>
            {
                sink?.Save(target.Name, target.Extension, encoded);
                return Task.CompletedTask;
            },
            ct);
    }
}
