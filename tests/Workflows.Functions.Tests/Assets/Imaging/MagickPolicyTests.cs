using System.Text;
using System.Text.Json;
using ImageMagick;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using SkiaSharp;
using Workflows.Assets.Imaging;
using Workflows.Assets.Imaging.Magick;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Assets.Imaging;

/// <summary>
/// ImageMagick's security policy and limits, as the app installs them before its first use. Both are process-wide,
/// and in the test process whichever test touched ImageMagick first would decide them, so they are checked in a fresh
/// process (this assembly run as <c>magick-policy</c>, see Program) that does what the app's start does, then tries
/// each refused read and reports what happened.
/// </summary>
public sealed partial class MagickPolicyTests
{
    private static readonly Lazy<Task<Dictionary<string, string>>> FreshProcess = new(RunFreshProcessAsync);

    // A script that would read a file from disk, vector formats with external references, text indirection, and a
    // format Skia reads that must never go through ImageMagick.
    private static readonly Dictionary<string, string> RefusedCoders = new()
    {
        ["MSL"] = """<?xml version="1.0"?><image><read filename="/etc/hostname"/></image>""",
        ["SVG"] = """<svg xmlns="http://www.w3.org/2000/svg"><image href="file:///etc/hostname"/></svg>""",
        ["MVG"] = "viewbox 0 0 10 10 image over 0,0 0,0 '/etc/hostname'",
        ["TEXT"] = "@/etc/hostname",
        ["PNG"] = "\u0089PNG\r\n\u001a\n",
    };

    private static readonly string[] IndirectNames = ["@/etc/hostname", "https://127.0.0.1/x.png", "msl:/etc/hostname"];

    public static TheoryData<string> Coders => [.. RefusedCoders.Keys];

    public static TheoryData<string> Names => [.. IndirectNames];

    [Theory]
    [MemberData(nameof(Coders))]
    public async Task Read_CoderOutsideThePolicy_RefusedBeforeItRuns(string coder)
    {
        // Act: even when asked for by name, as our decoders never do.
        var outcomes = await FreshProcess.Value;

        // Assert
        Assert.Equal(nameof(MagickPolicyErrorException), outcomes[coder]);
    }

    [Theory]
    [MemberData(nameof(Names))]
    public async Task Read_IndirectFileOrNetworkName_Refused(string name)
    {
        // Act
        var outcomes = await FreshProcess.Value;

        // Assert: the policy refuses the coder; "@file" names no coder at all (and the path policy forbids it).
        Assert.EndsWith("ErrorException", outcomes[name], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Limits_AfterStart_OneThreadBoundedDiskCacheAndTheAcceptedCodersWork()
    {
        // Act
        var outcomes = await FreshProcess.Value;

        // Assert: large images go to a disk cache of 900 MB (100 MP at 9 bytes), small ones stay in memory.
        Assert.Equal($"1,{900_000_000},{MagickRuntime.MemoryCachePixels},{MagickRuntime.MaxDecodeSeconds}", outcomes["limits"]);
        Assert.Equal("read", outcomes["jxl"]);
    }

    [Fact]
    public async Task Read_ImageOverTheMemoryCacheArea_PixelsInOneUnmappedTempFileDeletedOnDispose()
    {
        // Act: a 2200 × 2000 JPEG XL (4.4 MP) read and held, then disposed.
        var outcomes = await FreshProcess.Value;

        // Assert: 8-bit RGB in a file in the app's folder, read and written rather than mapped into the process.
        Assert.Equal($"1 file(s) of {2200 * 2000 * 3} bytes, mapped: False", outcomes["large-held"]);
        Assert.Equal("0 file(s)", outcomes["large-disposed"]);
    }

    [Fact]
    public async Task Decode_LargeImageThroughTheApp_LeavesNoTempFile()
    {
        // Act
        var outcomes = await FreshProcess.Value;

        // Assert: scaled down to 1100 px wide for a 1000 px rendition, and nothing left in the folder.
        Assert.Equal("1100 × 1000, 0 file(s)", outcomes["decoded"]);
    }

    [Fact]
    public async Task Exit_AfterLargeDecodes_TempFolderRemoved()
    {
        // Act: the probing process has exited once this returns.
        var outcomes = await FreshProcess.Value;

        // Assert: it had its own folder under the app's root, and a normal exit took it away.
        Assert.StartsWith(MagickTemporaryFiles.Root, outcomes["folder"], StringComparison.Ordinal);
        Assert.False(Directory.Exists(outcomes["folder"]));
    }

    [Fact]
    public async Task Read_TruncatedLargeImage_FailsAndLeavesNoTempFile()
    {
        // Act
        var outcomes = await FreshProcess.Value;

        // Assert
        Assert.Equal("MagickCorruptImageErrorException, 0 file(s)", outcomes["truncated"]);
    }

    [Fact]
    public async Task Read_HeaderDeclaringMoreThanTheDiskBudget_RefusedBeforeAnyFileIsWritten()
    {
        // Act: a TIFF declaring 30,000 × 30,000 (2.7 GB of pixel cache), read without the app's header check.
        var outcomes = await FreshProcess.Value;

        // Assert
        Assert.Equal("MagickCacheErrorException, 0 file(s)", outcomes["bomb"]);
    }

    [Fact]
    public async Task Decode_DiskBudgetHeldByOtherImages_RetryableIOExceptionNotARejection()
    {
        // Act: the budget shrunk to one 12 MP slot and all but less than 13.2 MB of it held by other images (as
        // concurrent decodes and encodes would, should anything hold it outside the decode limiter), then a 4.4 MP
        // decode that alone fits the budget.
        var outcomes = await FreshProcess.Value;

        // Assert: the host's contention, retried; not the file's fault, so not "corrupt".
        Assert.StartsWith("IOException:", outcomes["budget-held"], StringComparison.Ordinal);
    }

    /// <summary>The child side: the app's start, then every probe; one JSON object of outcomes on stdout.</summary>
    internal static string ProbeThisProcess()
    {
        // What the app's start does first with ImageMagick: the imaging registration sizes its limits.
        using var services = new ServiceCollection().AddLogging().AddImaging(new ConfigurationBuilder().Build()).BuildServiceProvider();
        _ = services.GetRequiredService<ImageLimits>();

        Dictionary<string, string> outcomes = [];
        foreach (var (coder, content) in RefusedCoders)
        {
            var settings = new MagickReadSettings { Format = Enum.Parse<MagickFormat>(coder, ignoreCase: true) };
            outcomes[coder] = Outcome(image => image.Read(Encoding.UTF8.GetBytes(content), settings));
        }

        foreach (var name in IndirectNames)
        {
            outcomes[name] = Outcome(image => image.Read(name));
        }

        outcomes["limits"] = $"{ResourceLimits.Thread},{ResourceLimits.Disk},{ResourceLimits.Area},{ResourceLimits.Time}";
        byte[] jxl = TestImages.JpegXl(8, 8);
        outcomes["jxl"] = Outcome(image => image.Read(jxl, new MagickReadSettings { Format = MagickFormat.Jxl }));
        ProbeDiskCache(outcomes);
        return JsonSerializer.Serialize(outcomes);
    }

    private static void ProbeDiskCache(Dictionary<string, string> outcomes)
    {
        var settings = new MagickReadSettings { Format = MagickFormat.Jxl };
        byte[] large = TestImages.JpegXl(2200, 2000);
        using (var image = new MagickImage())
        {
            image.Read(large, settings);
            var files = MagickTemporaryFiles.Files();
            bool mapped = File.ReadAllText("/proc/self/maps").Contains(MagickTemporaryFiles.Folder, StringComparison.Ordinal);
            outcomes["large-held"] = $"{files.Count} file(s) of {files.Sum(f => new FileInfo(f).Length)} bytes, mapped: {mapped}";
        }

        outcomes["large-disposed"] = $"{MagickTemporaryFiles.Files().Count} file(s)";
        outcomes["folder"] = MagickTemporaryFiles.Folder;
        using (var data = SKData.CreateCopy(large))
        using (var decoder = MagickImageDecoder.Open(data, ImageFormat.JpegXl, ImageLimits.Default))
        using (var bitmap = decoder.Decode(1000))
        {
            outcomes["decoded"] = $"{bitmap.Width} × {bitmap.Height}, {MagickTemporaryFiles.Files().Count} file(s)";
        }

        byte[] truncated = large[..(large.Length / 2)];
        outcomes["truncated"] = $"{Outcome(image => image.Read(truncated, settings))}, {MagickTemporaryFiles.Files().Count} file(s)";
        byte[] bomb = MagickHostileInputTests.Declaring("tiff", 30_000);
        outcomes["bomb"] = $"{Outcome(image => image.Read(bomb, new MagickReadSettings { Format = MagickFormat.Tiff }))}, {MagickTemporaryFiles.Files().Count} file(s)";
        ProbeOwnConversionBudget(outcomes);
        ProbeSharedDiskBudget(outcomes, large);
        ProbeFullDisk(outcomes, large);
    }

    // It shrinks the process's limits to one 12 MP decode slot, holds as many 4.4 MP RGB images (13.2 MB each) as that
    // budget takes, then decodes a 4.4 MP JPEG XL, which needs 13.2 MB more.
    private static void ProbeSharedDiskBudget(Dictionary<string, string> outcomes, byte[] jxl)
    {
        var limits = new ImageLimits(MaxPixels: 5_000_000);
        MagickRuntime.ApplyLimits(limits, maxConcurrentDecodes: 1);
        List<MagickImage> held = [];
        try
        {
            for (ulong i = ResourceLimits.Disk / (2200 * 2000 * 3); i > 0; i--)
            {
                held.Add(new MagickImage(jxl, new MagickReadSettings { Format = MagickFormat.Jxl }));
            }

            outcomes["budget-held"] = DecodeOutcome(jxl, ImageFormat.JpegXl, limits: limits);
        }
        finally
        {
            held.ForEach(image => image.Dispose());
        }
    }

    private static string Outcome(Action<MagickImage> read)
    {
        using var image = new MagickImage();
        try
        {
            read(image);
            return "read";
        }
        catch (MagickException ex)
        {
            return ex.GetType().Name;
        }
    }

    private static async Task<Dictionary<string, string>> RunFreshProcessAsync()
    {
        var (exitCode, output, errors) = await ToolProcess.RunAsync(
            Environment.ProcessPath ?? "dotnet", [typeof(MagickPolicyTests).Assembly.Location, "magick-policy"], TimeSpan.FromMinutes(3));
        Assert.True(exitCode == 0, $"magick-policy exited {exitCode}: {errors}");
        return JsonSerializer.Deserialize<Dictionary<string, string>>(output.Split('\n')[^1])!;
    }
}
