using Bridge.Service.Discovery;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Discovery;

/// <summary>RFC 6762 §8.1: 15 conflicts within 10 s slow probing to one attempt per 5 s, and only while
/// they are that recent.</summary>
public sealed class ProbeThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Fourteen_conflicts_keep_the_short_random_delay()
    {
        var throttle = new ProbeThrottle(_time);
        for (var i = 0; i < 14; i++) throttle.Conflict();
        Assert.InRange(throttle.NextDelay(), TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Fifteen_within_ten_seconds_slow_it_to_five_seconds_until_they_age_out()
    {
        var throttle = new ProbeThrottle(_time);
        for (var i = 0; i < 15; i++)
        {
            throttle.Conflict();
            _time.Advance(TimeSpan.FromMilliseconds(600));
        }
        Assert.Equal(TimeSpan.FromSeconds(5), throttle.NextDelay());
        _time.Advance(TimeSpan.FromSeconds(1.5)); // the first conflict is now over 10 s old
        Assert.InRange(throttle.NextDelay(), TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    [Fact]
    public void Fifteen_spread_over_more_than_ten_seconds_never_slow_it()
    {
        var throttle = new ProbeThrottle(_time);
        for (var i = 0; i < 30; i++)
        {
            throttle.Conflict();
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.InRange(throttle.NextDelay(), TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
        }
    }
}
