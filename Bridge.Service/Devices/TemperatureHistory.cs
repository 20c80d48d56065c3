using Bridge.Protocols.Model;

namespace Bridge.Service.Devices;

/// <summary>The last hours of each device's <c>current_temperature</c>, in memory and bounded, for the
/// console's sparklines: one point per <see cref="Bucket"/> (the last value in it), at most
/// <see cref="PointsPerDevice"/> per device and <see cref="MaxDevices"/> devices. Kept by the bridge,
/// not the page, so a page opened now still shows the hours before it was opened.</summary>
public sealed class TemperatureHistory(TimeProvider time) : IDeviceEvents
{
    public const string Capability = "current_temperature";
    public static readonly TimeSpan Bucket = TimeSpan.FromSeconds(30);
    public const int PointsPerDevice = 480; // four hours
    public const int MaxDevices = 512;

    private readonly Dictionary<string, List<(long Seconds, double Value)>> _series = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public void StateChanged(Device device, KeyValuePair<string, StateValue>[] state)
    {
        foreach (var (name, value) in state)
            if (name == Capability && !value.IsText) Record(device.Id, value.Number);
    }

    public void Added(Device device)
    {
        if (device.TryGetState(Capability, out var value) && !value.IsText) Record(device.Id, value.Number);
    }

    public void Removed(Device device)
    {
        lock (_gate) _series.Remove(device.Id);
    }

    public void OnlineChanged(Device device, bool online) { }

    private void Record(string device, double value)
    {
        var now = time.GetUtcNow().ToUnixTimeSeconds();
        var bucket = now - now % (long)Bucket.TotalSeconds;
        lock (_gate)
        {
            if (!_series.TryGetValue(device, out var points))
            {
                if (_series.Count >= MaxDevices) return;
                _series[device] = points = [];
            }
            // The last value of a bucket stands for it: replace the newest point while in the same bucket.
            if (points.Count > 0 && points[^1].Seconds >= bucket)
            {
                points[^1] = (now, value);
                return;
            }
            points.Add((now, value));
            if (points.Count > PointsPerDevice) points.RemoveAt(0);
        }
    }

    /// <summary>Every device's points, oldest first, as (Unix seconds, °C).</summary>
    public Dictionary<string, (long Seconds, double Value)[]> Snapshot()
    {
        lock (_gate) return _series.ToDictionary(s => s.Key, s => s.Value.ToArray(), StringComparer.Ordinal);
    }
}
