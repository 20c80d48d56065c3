using System.Net;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Security;

/// <summary>The pairing code's life, single use and rate limit, on a fake clock.</summary>
public sealed class PairingCodesTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T06:00:00Z"));

    private static readonly IPAddress Attacker = IPAddress.Parse("192.168.1.66");
    private static readonly IPAddress Installer = IPAddress.Parse("192.168.1.20");

    private PairingCodes Codes(int maxFailures = 5, int maxPerCode = 20) =>
        new(Options.Create(new PairingOptions
        {
            CodeLifetime = TimeSpan.FromMinutes(10), MaxFailuresPerMinute = maxFailures, MaxWrongGuessesPerCode = maxPerCode,
        }), _time);

    private static string WrongFor(PairingCodes codes) => codes.Current == "000000" ? "111111" : "000000";

    [Fact]
    public void A_code_is_six_digits_and_works_once()
    {
        using var codes = Codes();
        var code = codes.Current;
        Assert.Matches("^[0-9]{6}$", code);
        Assert.Equal(PairingOutcome.Paired, codes.TryRedeem(code));
        Assert.NotEqual(code, codes.Current);
        Assert.Equal(PairingOutcome.Expired, codes.TryRedeem(code));
    }

    [Fact]
    public void A_code_expires_and_a_new_one_is_announced()
    {
        using var codes = Codes();
        var announced = new List<string>();
        codes.CodeChanged += announced.Add;
        var code = codes.Current;
        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.Single(announced);
        Assert.NotEqual(code, codes.Current);
        Assert.Equal(PairingOutcome.Expired, codes.TryRedeem(code));
        Assert.Equal(PairingOutcome.Paired, codes.TryRedeem(codes.Current));
    }

    [Fact]
    public void Guesses_from_fresh_IPv6_addresses_of_one_prefix_are_limited_together()
    {
        using var codes = Codes(maxFailures: 3);
        var wrong = WrongFor(codes);
        for (var i = 1; i <= 3; i++) Assert.Equal(PairingOutcome.Wrong, codes.TryRedeem(wrong, IPAddress.Parse($"fd00:1:2:3::{i:x}")));
        Assert.Equal(PairingOutcome.RateLimited, codes.TryRedeem(wrong, IPAddress.Parse("fd00:1:2:3:abcd::4")));
        Assert.Equal(PairingOutcome.Paired, codes.TryRedeem(codes.Current, IPAddress.Parse("fd00:1:2:4::1")));
    }

    [Fact]
    public void Wrong_guesses_are_rate_limited_for_a_minute_even_with_the_right_code()
    {
        using var codes = Codes(maxFailures: 3);
        var wrong = WrongFor(codes);
        for (var i = 0; i < 3; i++) Assert.Equal(PairingOutcome.Wrong, codes.TryRedeem(wrong, Attacker));
        Assert.Equal(PairingOutcome.RateLimited, codes.TryRedeem(codes.Current, Attacker));
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(PairingOutcome.Paired, codes.TryRedeem(codes.Current, Attacker));
    }

    [Fact]
    public void A_guesser_at_its_limit_does_not_lock_out_the_installer_on_another_address()
    {
        using var codes = Codes(maxFailures: 3);
        var wrong = WrongFor(codes);
        for (var i = 0; i < 3; i++) Assert.Equal(PairingOutcome.Wrong, codes.TryRedeem(wrong, Attacker));
        Assert.Equal(PairingOutcome.RateLimited, codes.TryRedeem(wrong, Attacker));
        Assert.Equal(PairingOutcome.Paired, codes.TryRedeem(codes.Current, Installer));
    }

    [Fact]
    public void Guessing_from_many_addresses_burns_the_code_and_a_fresh_one_is_announced()
    {
        using var codes = Codes(maxFailures: 3, maxPerCode: 10);
        var announced = new List<string>();
        codes.CodeChanged += announced.Add;
        var burnt = codes.Current;
        var wrong = WrongFor(codes);
        for (var i = 0; i < 10; i++) Assert.Equal(PairingOutcome.Wrong, codes.TryRedeem(wrong, IPAddress.Parse($"10.0.0.{i + 1}")));
        Assert.Equal([codes.Current], announced);
        Assert.NotEqual(burnt, codes.Current);
        // The installer who typed the old code is told to read the new one, and then pairs.
        Assert.Equal(PairingOutcome.Expired, codes.TryRedeem(burnt, Installer));
        Assert.Equal(PairingOutcome.Paired, codes.TryRedeem(codes.Current, Installer));
    }
}
