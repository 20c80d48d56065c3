using Bridge.Runtime;

namespace Bridge.Tests.Runtime;

/// <summary>The one back-off everything that redials uses: doubling from the minimum, capped at the
/// maximum, jittered between half the ceiling and the ceiling.</summary>
public sealed class BackoffTests
{
    private static readonly TimeSpan Min = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan Max = TimeSpan.FromSeconds(5);

    [Fact]
    public void The_wait_doubles_per_failed_attempt_up_to_the_maximum()
    {
        Assert.Equal([250, 500, 1000, 2000, 4000, 5000, 5000],
            Enumerable.Range(0, 7).Select(a => Backoff.Ceiling(a, Min, Max).TotalMilliseconds));
        Assert.Equal(Max, Backoff.Ceiling(int.MaxValue, Min, Max));
    }

    [Fact]
    public void Jitter_spreads_redials_over_the_upper_half_of_the_window()
    {
        var random = new Random(7);
        var waits = Enumerable.Range(0, 1000).Select(_ => Backoff.Delay(3, Min, Max, random).TotalMilliseconds).ToArray();
        Assert.All(waits, w => Assert.InRange(w, 1000, 2000));
        Assert.True(waits.Max() - waits.Min() > 500, "the waits are spread, not all at one instant");
    }
}
