using Bridge.Protocols.Tuya;

namespace Bridge.Simulator.Tuya;

/// <summary>A simulated Tuya device's data points: the ones it was made with are the ones it has;
/// writes to others are ignored, as real devices do.</summary>
internal sealed class TuyaDps(IEnumerable<KeyValuePair<string, TuyaDpValue>> initial)
{
    private readonly Dictionary<string, TuyaDpValue> _values = new(initial, StringComparer.Ordinal);
    private readonly Lock _gate = new();

    /// <summary>Applies the writes to known data points; returns those it took (same kind of value).</summary>
    public List<KeyValuePair<string, TuyaDpValue>> Apply(IEnumerable<KeyValuePair<string, TuyaDpValue>> writes)
    {
        var taken = new List<KeyValuePair<string, TuyaDpValue>>();
        lock (_gate)
        {
            foreach (var (k, v) in writes)
            {
                if (!_values.TryGetValue(k, out var old) || old.IsBool != v.IsBool || (old.Kind == System.Text.Json.JsonValueKind.String) != (v.Kind == System.Text.Json.JsonValueKind.String)) continue;
                _values[k] = v;
                taken.Add(new(k, v));
            }
        }
        return taken;
    }

    public Dictionary<string, TuyaDpValue> Snapshot()
    {
        lock (_gate) return new Dictionary<string, TuyaDpValue>(_values, StringComparer.Ordinal);
    }

    public List<KeyValuePair<string, TuyaDpValue>> Only(IEnumerable<string> ids)
    {
        lock (_gate) return ids.Where(_values.ContainsKey).Select(i => new KeyValuePair<string, TuyaDpValue>(i, _values[i])).ToList();
    }
}
