using System.Net;
using Bridge.Protocols.Dns;
using Bridge.Service.Discovery;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The querier's cache on a fake clock.</summary>
public sealed class MdnsCacheTests
{
    private static readonly DnsName Host = DnsName.Parse("plug.local");
    private readonly FakeTimeProvider _time = new();

    private static DnsRecord A(string address, uint ttl = 120, bool flush = true) =>
        new(Host, DnsType.A, ttl, new AddressData(IPAddress.Parse(address)), flush);

    [Fact]
    public void Records_live_for_their_TTL()
    {
        var cache = new MdnsCache(_time);
        Assert.True(cache.Add(A("10.0.0.1")));
        Assert.False(cache.Add(A("10.0.0.1")));
        _time.Advance(TimeSpan.FromSeconds(119));
        Assert.Equal(1u, Assert.Single(cache.Get(Host, DnsType.A)).Ttl);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(cache.Get(Host, DnsType.A));
        Assert.Single(cache.RemoveExpired());
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void The_cache_is_bounded_whatever_the_LAN_sends()
    {
        var cache = new MdnsCache(_time, maxEntries: 3);
        Assert.True(cache.Add(A("10.0.0.1", ttl: 10, flush: false)));
        Assert.True(cache.Add(A("10.0.0.2", ttl: uint.MaxValue, flush: false)));
        Assert.True(cache.Add(A("10.0.0.3", ttl: uint.MaxValue, flush: false)));
        Assert.False(cache.Add(A("10.0.0.4", ttl: uint.MaxValue, flush: false)));
        Assert.Equal(3, cache.Count);
        // Known records are still refreshed; an expired one leaves (and is reported) as usual, making room.
        Assert.False(cache.Add(A("10.0.0.2", ttl: uint.MaxValue, flush: false)));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.Single(cache.RemoveExpired());
        Assert.True(cache.Add(A("10.0.0.4", ttl: 120, flush: false)));
        Assert.Equal(3, cache.Count);
    }

    [Fact]
    public void A_goodbye_keeps_the_record_one_second()
    {
        var cache = new MdnsCache(_time);
        cache.Add(A("10.0.0.1"));
        cache.Add(A("10.0.0.1", ttl: 0));
        Assert.Single(cache.Get(Host, DnsType.A));
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Empty(cache.Get(Host, DnsType.A));
        Assert.False(cache.Add(A("10.0.0.2", ttl: 0)));
        Assert.Empty(cache.Get(Host, DnsType.A));
    }

    [Fact]
    public void Cache_flush_expires_older_records_of_the_set_but_not_the_same_burst()
    {
        var cache = new MdnsCache(_time);
        cache.Add(A("10.0.0.1"));
        _time.Advance(TimeSpan.FromSeconds(5));
        cache.Add(A("10.0.0.2"));
        cache.Add(A("10.0.0.3"));
        Assert.Equal(3, cache.Get(Host, DnsType.A).Count);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(["10.0.0.2", "10.0.0.3"], cache.Get(Host, DnsType.A).Select(r => ((AddressData)r.Data).Address.ToString()).Order());
    }

    [Fact]
    public void Shared_records_do_not_flush_others()
    {
        var cache = new MdnsCache(_time);
        cache.Add(A("10.0.0.1", flush: false));
        _time.Advance(TimeSpan.FromSeconds(5));
        cache.Add(A("10.0.0.2", flush: false));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(2, cache.Get(Host, DnsType.A).Count);
    }

    [Fact]
    public void Known_answers_need_half_their_TTL_and_refresh_starts_at_80_percent()
    {
        var cache = new MdnsCache(_time, refreshJitter: 0);
        cache.Add(A("10.0.0.1", ttl: 100));
        Assert.Single(cache.KnownAnswers(Host, DnsType.A));
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(80), cache.NextDeadline());
        _time.Advance(TimeSpan.FromSeconds(51));
        Assert.Empty(cache.KnownAnswers(Host, DnsType.A));
        Assert.Empty(cache.DueForRefresh());
        _time.Advance(TimeSpan.FromSeconds(29));
        Assert.Single(cache.DueForRefresh());
        Assert.Equal(_time.GetUtcNow() + TimeSpan.FromSeconds(5), cache.NextDeadline());
    }

    [Fact]
    public void An_unanswered_record_is_asked_for_at_80_85_90_and_95_percent_then_expires()
    {
        var cache = new MdnsCache(_time, refreshJitter: 0);
        cache.Add(A("10.0.0.1", ttl: 100));
        var askedAt = new List<double>();
        for (var second = 1; second <= 100; second++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            if (cache.DueForRefresh().Count > 0) askedAt.Add(second);
        }
        Assert.Equal([80, 85, 90, 95], askedAt);
        Assert.Single(cache.RemoveExpired());
    }

    [Fact]
    public void An_answer_starts_the_refresh_points_over_and_jitter_stays_within_two_percent()
    {
        var cache = new MdnsCache(_time);
        cache.Add(A("10.0.0.1", ttl: 100));
        var first = cache.NextDeadline()!.Value - _time.GetUtcNow();
        Assert.InRange(first.TotalSeconds, 80, 82);
        _time.Advance(first);
        Assert.Single(cache.DueForRefresh());
        cache.Add(A("10.0.0.1", ttl: 100)); // the device answered
        Assert.InRange((cache.NextDeadline()!.Value - _time.GetUtcNow()).TotalSeconds, 80, 82);
        Assert.Empty(cache.DueForRefresh());
    }
}
