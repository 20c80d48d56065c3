using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Protocols.Tuya;
using Bridge.Service.Drivers.Mapping;
using static Bridge.Service.Drivers.Mapping.MappingSection;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>How one capability maps onto a Tuya data point: enum values ⇄ dp values
/// (<c>values</c>), a number scaled (<c>scale</c>: dp = value × scale), or a number mapped linearly
/// from the capability's range onto <c>range</c> [dpMin, dpMax] (bulbs' 10..1000).</summary>
public sealed record TuyaCapabilityMap(Capability Capability, string Dp, IReadOnlyList<KeyValuePair<string, TuyaDpValue>> Values, double Scale, double[]? Range) : ICapabilityMap
{
    public TuyaDpValue? ToDevice(StateValue value)
    {
        if (Capability.Type == CapabilityType.Enum)
            return Values.FirstOrDefault(v => v.Key == value.Text) is { Key: not null } hit ? hit.Value : null;
        var n = value.Number;
        if (Range is { } r)
        {
            var (min, max) = (Capability.Min ?? 0, Capability.Max ?? 100);
            return TuyaDpValue.Of(Math.Round(r[0] + (n - min) / (max - min) * (r[1] - r[0])));
        }
        return TuyaDpValue.Of(Math.Round(n * Scale));
    }

    public StateValue? FromDevice(TuyaDpValue dp)
    {
        if (Capability.Type == CapabilityType.Enum)
            return Values.FirstOrDefault(v => v.Value == dp) is { Key: not null } hit ? StateValue.Of(hit.Key) : null;
        if (dp.Kind != JsonValueKind.Number) return null;
        double n;
        if (Range is { } r)
        {
            var (min, max) = (Capability.Min ?? 0, Capability.Max ?? 100);
            n = min + (dp.Number - r[0]) / (r[1] - r[0]) * (max - min);
        }
        else n = dp.Number / Scale;
        if (Capability.Type == CapabilityType.Int) n = Math.Round(n);
        else if (Capability.Step is { } step and > 0) n = Math.Round(n / step) * step;
        return StateValue.Of(n);
    }
}

/// <summary>The profile's <c>tuya</c> section: capabilities ⇄ data points.</summary>
public sealed class TuyaMapping
{
    public required IReadOnlyList<TuyaCapabilityMap> Capabilities { get; init; }

    public TuyaCapabilityMap? Find(string capability) => Capabilities.Find(capability);

    public static TuyaMapping For(DeviceProfile profile) => MappingCache<TuyaMapping>.For(profile, Parse);

    /// <summary>Capability values from a device's dps; dps the profile does not map, and values that
    /// do not fit, are left out.</summary>
    public void Read(IReadOnlyDictionary<string, TuyaDpValue> dps, List<KeyValuePair<string, StateValue>> into)
    {
        foreach (var map in Capabilities)
            if (dps.TryGetValue(map.Dp, out var dp) && map.FromDevice(dp) is { } v) into.Add(new(map.Capability.Name, v));
    }

    public static TuyaMapping Parse(DeviceProfile profile, List<string> problems)
    {
        const string needs = "needs an object with 'dp' (the data point's number, e.g. \"1\")";
        return new TuyaMapping { Capabilities = MappingSection.ReadCapabilities(profile, TuyaDevices.Protocol, problems, (cap, c, where) =>
        {
            if (!c.TryGetProperty("dp", out var dpEl) || (dpEl.ValueKind != JsonValueKind.String && dpEl.ValueKind != JsonValueKind.Number))
            {
                problems.Add($"{where}: {needs}");
                return null;
            }
            var dp = Text(dpEl);
            var values = new List<KeyValuePair<string, TuyaDpValue>>();
            foreach (var v in Values(c))
                if (TuyaDpValue.TryRead(v.Value, out var dv)) values.Add(new(v.Name, dv));
            if (cap.Type == CapabilityType.Enum) RequireEveryValue(cap, allowed => values.Any(v => v.Key == allowed), where, problems);
            var scale = Number(c, "scale") ?? 1;
            if (scale == 0) problems.Add($"{where}: 'scale' must not be 0");
            double[]? range = null;
            if (c.TryGetProperty("range", out var r))
            {
                if (r.ValueKind == JsonValueKind.Array && r.GetArrayLength() == 2 && r.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Number)
                    && cap.Min is not null && cap.Max is not null && cap.Max > cap.Min)
                    range = r.EnumerateArray().Select(e => e.GetDouble()).ToArray();
                else problems.Add($"{where}: 'range' must be [dpMin, dpMax] on a capability with min and max");
            }
            return new TuyaCapabilityMap(cap, dp, values, scale == 0 ? 1 : scale, range);
        }, needs) };
    }
}
