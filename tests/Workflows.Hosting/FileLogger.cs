using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Workflows.Hosting;

/// <summary>
/// Debug aid: with <c>WORKFLOWS_TEST_LOG=/path/file.log</c> every engine, sidecar and app log line of the test run (Debug
/// and up) is appended to that file; the test runner does not show a test host's console output.
/// </summary>
public sealed class FileLoggerProvider : ILoggerProvider
{
    private static readonly Lock Gate = new();
    private static readonly string? Path = Environment.GetEnvironmentVariable("WORKFLOWS_TEST_LOG");

    public static void AddIfRequested(ILoggingBuilder logging)
    {
        if (!string.IsNullOrEmpty(Path))
        {
            logging.SetMinimumLevel(LogLevel.Debug);
            logging.AddFilter((_, _) => true);
            logging.Services.AddSingleton<ILoggerProvider, FileLoggerProvider>();
        }
    }

    public ILogger CreateLogger(string categoryName) => new FileLogger(categoryName);

    public void Dispose()
    {
    }

    private sealed class FileLogger(string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var line = $"{DateTime.UtcNow:HH:mm:ss.fff} {logLevel,-11} {category}: {formatter(state, exception)}{(exception is null ? "" : " " + exception)}{Environment.NewLine}";
            lock (Gate)
            {
                File.AppendAllText(Path!, line);
            }
        }
    }
}
