using System.Diagnostics;
using Bridge.Runtime.Timing;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Runtime.Timing;

/// <summary>A wait that must not end early (a Modbus line's t3.5 gap): on a fake clock it is an
/// ordinary delay the test advances; on the real clock it never ends before its time.</summary>
public sealed class PreciseDelayTests
{
    [Fact]
    public async Task On_a_fake_clock_the_wait_ends_when_the_clock_passes_it()
    {
        var time = new FakeTimeProvider();

        var wait = PreciseDelay.WaitAsync(TimeSpan.FromMilliseconds(4), time, CancellationToken.None);
        var pendingBefore = !wait.IsCompleted;
        time.Advance(TimeSpan.FromMilliseconds(4));
        await wait;

        Assert.True(pendingBefore, "the wait ended before the clock moved");
    }

    [Fact]
    public async Task On_the_real_clock_a_wait_below_the_timer_tick_is_never_short()
    {
        var span = TimeSpan.FromMilliseconds(3.65);
        var shortest = TimeSpan.MaxValue;

        for (var i = 0; i < 20; i++)
        {
            var started = Stopwatch.GetTimestamp();
            await PreciseDelay.WaitAsync(span, TimeProvider.System, CancellationToken.None);
            var took = Stopwatch.GetElapsedTime(started);
            if (took < shortest) shortest = took;
        }

        Assert.True(shortest >= span, $"a wait of {span.TotalMilliseconds} ms ended after {shortest.TotalMilliseconds} ms");
    }

    [Fact]
    public async Task Nothing_to_wait_for_completes_at_once()
    {
        var wait = PreciseDelay.WaitAsync(TimeSpan.Zero, new FakeTimeProvider(), CancellationToken.None);

        Assert.True(wait.IsCompleted);
        await wait;
    }
}
