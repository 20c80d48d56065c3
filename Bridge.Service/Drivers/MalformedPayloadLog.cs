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
        while (true)
        {
            if (_last.TryGetValue(source, out var last))
            {
                if (time.GetElapsedTime(last, now) < Quiet) return;
                if (_last.TryUpdate(source, now, last)) break;
            }
            else if (_last.TryAdd(source, now)) break;
        }
        log.LogWarning("Ignored a malformed payload from {Source} on {Topic}: {Problem}; state unchanged", source, topic, problem);
    }
}
