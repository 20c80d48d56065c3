using System.Net;
using Bridge.Protocols.Net;
using Bridge.Relay.Clients;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Relay.Clients;

/// <summary>Per-key token buckets (relay handshakes per address, frames per token) on a fake clock.</summary>
public sealed class KeyedTokenBucketsTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void Refilled_buckets_are_swept_once_there_are_many_keys()
    {
        var buckets = new KeyedTokenBuckets<int>(rate: 50, burst: 200, _time);
        for (var i = 0; i <= 100_000; i++) Assert.True(buckets.TryTake(i));
        Assert.True(buckets.Count > 100_000);
        // 200 at 50/s: refilled after 4 s, then they carry nothing and go.
        _time.Advance(TimeSpan.FromSeconds(5));
        Assert.True(buckets.TryTake(-1));
        Assert.True(buckets.Count < 10, $"{buckets.Count} buckets left");
    }

    [Fact]
    public void A_key_that_used_its_burst_waits_for_the_rate()
    {
        var buckets = new KeyedTokenBuckets<string>(rate: 1, burst: 2, _time, StringComparer.Ordinal);
        Assert.True(buckets.TryTake("a"));
        Assert.True(buckets.TryTake("a"));
        Assert.False(buckets.TryTake("a"));
        Assert.True(buckets.TryTake("b"));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(buckets.TryTake("a"));
    }

    [Theory]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:2:ffff:1:2:3", true)]
    [InlineData("2001:db8:1:2::1", "2001:db8:1:3::1", false)]
    [InlineData("::ffff:192.168.1.5", "192.168.1.5", true)]
    [InlineData("192.168.1.5", "192.168.1.6", false)]
    public void IPv6_addresses_count_by_their_64(string a, string b, bool same) =>
        Assert.Equal(same, RateLimitKey.Of(IPAddress.Parse(a)).Equals(RateLimitKey.Of(IPAddress.Parse(b))));

    [Fact]
    public void Fresh_IPv6_addresses_from_one_prefix_share_one_handshake_allowance()
    {
        var options = Microsoft.Extensions.Options.Options.Create(new Bridge.Relay.Settings.RelayOptions
        {
            HandshakesPerSecondPerAddress = 1, HandshakeBurstPerAddress = 3,
        });
        var limit = new HandshakeRateLimit(options, _time);
        for (var i = 1; i <= 3; i++) Assert.True(limit.TryTake(IPAddress.Parse($"2001:db8:0:7::{i:x}")));
        Assert.False(limit.TryTake(IPAddress.Parse("2001:db8:0:7::99")));
        Assert.True(limit.TryTake(IPAddress.Parse("2001:db8:0:8::1")));
    }
}
