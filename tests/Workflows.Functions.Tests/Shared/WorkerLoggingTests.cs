using System.Collections.Concurrent;
using Azure;
using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Workflows.Assets;
using Workflows.Tests.TestSupport;

namespace Workflows.Tests.Shared;

/// <summary>The worker's own logging, as the composition root configures it (what reaches the Functions host).</summary>
public sealed class WorkerLoggingTests
{
    [Fact]
    public async Task AddWorkflows_AzureSdkTrafficAndAppLines_SdkRequestLinesDroppedSdkWarningsAndAppLinesKept()
    {
        // Arrange: the composition root with a capturing logger at the default minimum level (Information).
        var storage = await Azurite.GetAsync();
        var settings = SampleSettings.Create(storage.ConnectionString, TestNames.Unique("hub"));
        settings.Remove("Logging:LogLevel:Default");
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var lines = new CapturedLines();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(logging => logging.AddProvider(lines));
        services.AddWorkflows(configuration);
        await using var provider = services.BuildServiceProvider();
        var container = provider.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(TestNames.Unique("quiet"));

        // Act: real SDK traffic (requests that succeed, and one answered 404), and a line of the app's own.
        await container.CreateIfNotExistsAsync();
        await Assert.ThrowsAsync<RequestFailedException>(() => container.GetBlobClient("missing.jpg").GetPropertiesAsync());
        await container.DeleteAsync();
        provider.GetRequiredService<ILogger<InspectActivities>>().LogInformation("Asset inspected");

        // Assert
        Assert.DoesNotContain(lines, l => l.Category.StartsWith("Azure.", StringComparison.Ordinal) && l.Level < LogLevel.Warning);
        Assert.Contains(lines, l => l.Category == "Azure.Core" && l.Level == LogLevel.Warning && l.Message.Contains("404", StringComparison.Ordinal));
        Assert.Contains(lines, l => (l.Category, l.Level, l.Message) == (typeof(InspectActivities).FullName, LogLevel.Information, "Asset inspected"));
    }

    private sealed record Line(string Category, LogLevel Level, string Message);

    /// <summary>Every line that passes the logging filters, from this provider's loggers.</summary>
    private sealed class CapturedLines : ILoggerProvider, IEnumerable<Line>
    {
        private readonly ConcurrentQueue<Line> _lines = new();

        public ILogger CreateLogger(string categoryName) => new Logger(categoryName, _lines);

        public IEnumerator<Line> GetEnumerator() => _lines.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        public void Dispose()
        {
        }

        private sealed class Logger(string category, ConcurrentQueue<Line> lines) : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

            public bool IsEnabled(LogLevel logLevel) => true;

            public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
                lines.Enqueue(new Line(category, logLevel, formatter(state, exception)));
        }
    }
}
