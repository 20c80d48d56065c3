using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Security;

public enum PairingOutcome { Paired, Wrong, Expired, RateLimited }

/// <summary>The current pairing code: 6 random digits, single-use, replaced when it expires (timer on
/// the injected TimeProvider) or is used. Wrong guesses are limited per address (so one guesser
/// cannot lock the installer out) and per code: after <see cref="PairingOptions.MaxWrongGuessesPerCode"/>
/// wrong guesses from anywhere the code is retired and a fresh one printed, so guessing from many
/// addresses gains nothing. The code is shown on the bridge's stdout only, never logged.</summary>
public sealed class PairingCodes : IDisposable
{
    private readonly PairingOptions _options;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    private readonly WrongGuessWindow _failures;
    private int _wrongForCurrent;
    private readonly ITimer _rotation;
    private string _current = "";
    private string? _previous;
    private DateTimeOffset _expires;

    public PairingCodes(IOptions<PairingOptions> options, TimeProvider time)
    {
        _options = options.Value;
        _time = time;
        _failures = new WrongGuessWindow(_options.MaxFailuresPerMinute);
        _rotation = time.CreateTimer(_ => Rotate(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        lock (_gate) NewCodeLocked();
    }

    /// <summary>Raised with each new code (after expiry or use), for the program to print.</summary>
    public event Action<string>? CodeChanged;

    public string Current
    {
        get { lock (_gate) return _current; }
    }

    /// <summary>Redeems <paramref name="code"/> sent from <paramref name="from"/> (null: the bridge's own machine or unknown).</summary>
    public PairingOutcome TryRedeem(string? code, IPAddress? from = null)
    {
        // IPv6 addresses count by their /64: one host can hold many and pick a fresh one per guess.
        from = Bridge.Protocols.Net.RateLimitKey.Of(from);
        string? fresh = null;
        PairingOutcome outcome;
        lock (_gate)
        {
            var now = _time.GetUtcNow();
            if (_failures.IsLimited(from, now)) return PairingOutcome.RateLimited;
            if (now >= _expires)
            {
                _previous = _current;
                fresh = NewCodeLocked();
            }
            if (code is not null && Same(code, _current))
            {
                outcome = PairingOutcome.Paired;
                _previous = _current;
                fresh = NewCodeLocked();
            }
            else
            {
                _failures.Add(from, now);
                outcome = code is not null && _previous is not null && Same(code, _previous) ? PairingOutcome.Expired : PairingOutcome.Wrong;
                if (outcome == PairingOutcome.Wrong && ++_wrongForCurrent >= _options.MaxWrongGuessesPerCode)
                {
                    // Guessed at too often: this code is burnt. Whoever types it next hears "expired,
                    // use the one the bridge shows now", and the installer reads the new one.
                    _previous = _current;
                    fresh = NewCodeLocked();
                }
            }
        }
        if (fresh is not null) CodeChanged?.Invoke(fresh);
        return outcome;
    }

    private void Rotate()
    {
        string fresh;
        lock (_gate)
        {
            if (_time.GetUtcNow() < _expires) return;
            _previous = _current;
            fresh = NewCodeLocked();
        }
        CodeChanged?.Invoke(fresh);
    }

    private string NewCodeLocked()
    {
        _wrongForCurrent = 0;
        _current = RandomNumberGenerator.GetInt32(0, 1_000_000).ToString("D6", System.Globalization.CultureInfo.InvariantCulture);
        _expires = _time.GetUtcNow() + _options.CodeLifetime;
        _rotation.Change(_options.CodeLifetime, Timeout.InfiniteTimeSpan);
        return _current;
    }

    // Constant time, so response timing says nothing about how many digits were right.
    private static bool Same(string a, string b) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(a), Encoding.UTF8.GetBytes(b));

    public void Dispose() => _rotation.Dispose();
}
