using System.Collections.Frozen;
using System.Text;
using Bridge.Protocols.Api;
using Bridge.Runtime.Metrics;

namespace Bridge.Service.Commands;

/// <summary>Latency of <c>set</c> commands by outcome (<c>ok</c> or the error code), for the bridge's
/// <c>/metrics</c>. One preallocated histogram per known outcome, so the label set stays bounded and
/// recording allocates nothing.</summary>
public sealed class CommandMetrics
{
    public const string Name = "bridge_command_seconds";
    public const string Ok = "ok";
    public const string Cancelled = "cancelled";
    private const string Other = "other";

    private static readonly string[] Outcomes =
    [
        Ok, ErrorCodes.BadRequest, ErrorCodes.UnknownDevice, ErrorCodes.UnsupportedCapability, ErrorCodes.InvalidValue,
        ErrorCodes.DeviceOffline, ErrorCodes.Timeout, ErrorCodes.Busy, ErrorCodes.Internal, Cancelled, Other,
    ];

    private readonly FrozenDictionary<string, PrometheusHistogram> _byOutcome =
        Outcomes.ToFrozenDictionary(o => o, _ => new PrometheusHistogram(), StringComparer.Ordinal);

    public void Observe(string outcome, TimeSpan elapsed) =>
        (_byOutcome.GetValueOrDefault(outcome) ?? _byOutcome[Other]).Observe(elapsed);

    public long Count(string outcome) => _byOutcome.GetValueOrDefault(outcome)?.Count ?? 0;

    /// <summary>Outcomes that never happened are left out, as Prometheus clients do for unseen labels.</summary>
    public void Render(StringBuilder s)
    {
        PrometheusHistogram.Header(s, Name, "Set commands from request to reply, by outcome (ok or the error code).");
        foreach (var outcome in Outcomes)
        {
            var histogram = _byOutcome[outcome];
            if (histogram.Count > 0 || outcome == Ok) histogram.Render(s, Name, $"outcome=\"{outcome}\"");
        }
    }
}
