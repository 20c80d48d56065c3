using Bridge.Service.Security;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Security;

/// <summary>The pairing code's life, single use and rate limit, on a fake clock.</summary>
public sealed class PairingCodesTests
{
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-23T06:00:00Z"));

    private PairingCodes Codes(int maxFailures = 5) =>
        new(Options.Create(new PairingOptions { CodeLifetime = TimeSpan.FromMinutes(10), MaxFailuresPerMinute = maxFailures }), _time);

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
    public void Wrong_guesses_are_rate_limited_for_a_minute_even_with_the_right_code()
    {
        using var codes = Codes(maxFailures: 3);
        var wrong = codes.Current == "000000" ? "111111" : "000000";
        for (var i = 0; i < 3; i++) Assert.Equal(PairingOutcome.Wrong, codes.TryRedeem(wrong));
        Assert.Equal(PairingOutcome.RateLimited, codes.TryRedeem(codes.Current));
        _time.Advance(TimeSpan.FromSeconds(61));
        Assert.Equal(PairingOutcome.Paired, codes.TryRedeem(codes.Current));
    }
}
