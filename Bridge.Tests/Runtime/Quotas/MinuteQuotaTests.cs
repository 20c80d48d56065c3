using Bridge.Protocols.Yeelight;
using Microsoft.Extensions.Time.Testing;
using Bridge.Runtime.Quotas;

namespace Bridge.Tests.Runtime.Quotas;

/// <summary>The per-bulb command count: never more than the limit in any sliding minute.</summary>
public sealed class MinuteQuotaTests
{
    [Fact]
    public void A_spent_quota_says_when_the_oldest_command_leaves_the_minute()
    {
        var time = new FakeTimeProvider();
        var quota = new MinuteQuota(3, time);
        Assert.True(quota.TryTake(1, out _));
        time.Advance(TimeSpan.FromSeconds(20));
        Assert.True(quota.TryTake(2, out _));
        Assert.False(quota.TryTake(1, out var retry));
        Assert.Equal(TimeSpan.FromSeconds(40), retry);

        time.Advance(TimeSpan.FromSeconds(40));
        Assert.True(quota.TryTake(1, out _));
        // All or nothing: two more would exceed the minute, so none is taken.
        Assert.False(quota.TryTake(2, out retry));
        Assert.Equal(TimeSpan.FromSeconds(20), retry);
        Assert.True(quota.TryTake(0, out _));
    }

    [Fact]
    public void More_than_a_minutes_worth_at_once_is_never_allowed()
    {
        var quota = new MinuteQuota(2, new FakeTimeProvider());
        Assert.False(quota.TryTake(3, out var retry));
        Assert.Equal(TimeSpan.FromMinutes(1), retry);
        Assert.True(quota.TryTake(2, out _));
    }
}
