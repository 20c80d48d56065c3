using System.Collections.Concurrent;

namespace Bridge.Service.Drivers;

/// <summary>Warns about a malformed payload once per source per minute, so a device spewing
/// garbage can't flood the log.</summary>
public sealed class MalformedPayloadLog(TimeProvider time, ILogger<MalformedPayloadLog> log)
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMinutes(1);
    private readonly ConcurrentDictionary<string, long> _last = new(StringComparer.Ordinal);

    public void Report(string source, string topic, string problem)
    {
        var now = time.GetTimestamp();
        if (_last.TryGetValue(source, out var last) && time.GetElapsedTime(last, now) < Quiet) return;
        _last[source] = now;
        log.LogWarning("Ignored a malformed payload from {Source} on {Topic}: {Problem}; state unchanged", source, topic, problem);
    }
}
