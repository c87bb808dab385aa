using Workflows.Hosting;

namespace Workflows.Tests.TestSupport;

/// <summary>What the orchestration bench's "Cost per instance" computes from its measurements (pure functions in the harness).</summary>
public sealed class BenchMeasuresTests
{
    [Fact]
    public void ActivityTimings_TenBodies_MedianBetweenTheMiddleTwoAndP90TheNinth()
    {
        // Arrange: 1..10 ms, shuffled.
        TimeSpan[] times = [.. new[] { 7, 2, 10, 4, 1, 9, 3, 8, 6, 5 }.Select(ms => TimeSpan.FromMilliseconds(ms))];

        // Act
        var (median, p90) = ActivityTimings.MedianAndP90(times);

        // Assert: 90% of the bodies took at most the p90 (9 of 10), not the slowest one.
        Assert.Equal((5.5, 9.0), (median, p90));
    }

    [Fact]
    public void ActivityTimings_OneHundredTwentyBodies_P90IsThe108th()
    {
        // Arrange: 1..120 ms (40 orders, 3 rounds: one activity's calls in the README's runs).
        var times = Enumerable.Range(1, 120).Select(ms => TimeSpan.FromMilliseconds(ms)).Reverse();

        // Act
        var (median, p90) = ActivityTimings.MedianAndP90(times);

        // Assert
        Assert.Equal((60.5, 108.0), (median, p90));
    }

    [Fact]
    public void ActivityTimings_OneBody_IsItsOwnMedianAndP90()
    {
        // Act
        var summary = ActivityTimings.MedianAndP90([TimeSpan.FromMilliseconds(42)]);

        // Assert
        Assert.Equal((42.0, 42.0), summary);
    }

    [Theory]
    [InlineData("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=a2V5;BlobEndpoint=http://127.0.0.1:10500/devstoreaccount1;QueueEndpoint=http://127.0.0.1:10501/devstoreaccount1;TableEndpoint=http://127.0.0.1:10502/devstoreaccount1;", 10502)]
    [InlineData("UseDevelopmentStorage=true", null)]
    [InlineData("DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=a2V5;EndpointSuffix=core.windows.net", null)]
    public void Azurite_TablePort_OfAConnectionString_IsItsTableEndpointsPortOrNone(string connectionString, int? port)
    {
        // Act
        var found = Azurite.TablePort(connectionString);

        // Assert: an account without a table endpoint of its own (WORKFLOWS_TEST_STORAGE) has no Azurite to watch.
        Assert.Equal(port, found);
    }
}
