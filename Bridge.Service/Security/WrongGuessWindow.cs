using System.Net;

namespace Bridge.Service.Security;

/// <summary>Wrong pairing guesses per address over the last minute. Not thread-safe: the owner
/// holds its lock. Addresses with no guess in the window are forgotten, so memory stays bounded
/// by the guesses of one minute, whatever the number of addresses.</summary>
internal sealed class WrongGuessWindow(int maxPerMinute)
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);
    private readonly Dictionary<IPAddress, Queue<DateTimeOffset>> _byAddress = new();
    private DateTimeOffset _lastSweep;

    public bool IsLimited(IPAddress address, DateTimeOffset now)
    {
        if (!_byAddress.TryGetValue(address, out var guesses)) return false;
        while (guesses.Count > 0 && now - guesses.Peek() >= Window) guesses.Dequeue();
        return guesses.Count >= maxPerMinute;
    }

    public void Add(IPAddress address, DateTimeOffset now)
    {
        if (!_byAddress.TryGetValue(address, out var guesses)) _byAddress[address] = guesses = new Queue<DateTimeOffset>();
        guesses.Enqueue(now);
        if (now - _lastSweep < Window) return;
        _lastSweep = now;
        foreach (var (stale, queue) in _byAddress)
            if (queue.Count == 0 || now - queue.Last() >= Window) _byAddress.Remove(stale);
    }
}
