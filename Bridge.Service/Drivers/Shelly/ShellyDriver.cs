using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>Sends capability changes to Shelly Gen2+ devices as JSON-RPC over MQTT, then reads the
/// component's status back: a Set's result (<c>was_on</c>) is no statement of the new state.</summary>
public sealed class ShellyDriver(ShellyRpcClient rpc, DeviceRegistry registry) : IDeviceDriver
{
    public const string DriverName = "shelly";
    public const string PrefixKey = "prefix";
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);

    public string Name => DriverName;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => ShellyMapping.Parse(profile, problems);

    public StateValue Expected(Device device, Capability capability, StateValue requested) => requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var mapping = ShellyMapping.For(device.Profile);
        var prefix = device.Binding[PrefixKey];
        var calls = changes
            .Select(c => (Change: c, Map: mapping.Find(c.Capability.Name)!))
            .GroupBy(x => (x.Map.Method!, x.Map.Component));
        foreach (var call in calls)
        {
            var (method, component) = call.Key;
            var items = call.ToArray();
            using (await rpc.CallAsync(prefix, method, items, WriteParams, CallTimeout, ct).ConfigureAwait(false)) { }

            var getStatus = method[..method.IndexOf('.')] + ".GetStatus";
            var index = items[0].Map.ComponentIndex;
            using var status = await rpc.CallAsync(prefix, getStatus, index, static (w, i) => w.WriteNumber("id", i), CallTimeout, ct).ConfigureAwait(false);
            var report = new List<KeyValuePair<string, StateValue>>(4);
            foreach (var map in mapping.Capabilities)
                if (map.Component == component) ShellyStatusReader.ReadComponent(status.Result, map, report);
            registry.ApplyReport(device, System.Runtime.InteropServices.CollectionsMarshal.AsSpan(report));
        }
    }

    private static void WriteParams(Utf8JsonWriter w, (Change Change, ShellyCapabilityMap Map)[] items)
    {
        w.WriteNumber("id", items[0].Map.ComponentIndex);
        foreach (var (change, map) in items)
        {
            w.WritePropertyName(map.Param!);
            if (change.Value.IsText && map.ToDevice.TryGetValue(change.Value.Text!, out var wire)) wire.WriteTo(w);
            else change.Value.WriteTo(w);
        }
    }
}
