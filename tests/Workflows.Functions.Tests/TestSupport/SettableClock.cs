namespace Workflows.Tests.TestSupport;

/// <summary>A clock that says whatever time the test sets (for the app's <see cref="TimeProvider"/>).</summary>
internal sealed class SettableClock : TimeProvider
{
    public DateTimeOffset Now { get; set; } = DateTimeOffset.UtcNow;

    public override DateTimeOffset GetUtcNow() => Now;
}
