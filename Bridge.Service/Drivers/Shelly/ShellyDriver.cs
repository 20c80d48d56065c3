using System.Text.Json;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>Sends capability changes to Shelly Gen2+ devices as JSON-RPC over MQTT. Each reply carries
/// its request's id, so commands overlap and each is confirmed by the device's own reply to its Set:
/// a result (not an error) says the device applied exactly those parameters.</summary>
public sealed class ShellyDriver(ShellyRpcClient rpc) : ICorrelatedDriver
{
    public const string DriverName = "shelly";
    public const string PrefixKey = "prefix";

    public string Name => DriverName;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => ShellyMapping.Parse(profile, problems);

    public CommandConcurrency Concurrency(Device device) => CommandConcurrency.Correlated;

    public StateValue Expected(Device device, Capability capability, StateValue requested) => requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct) =>
        await SendConfirmedAsync(device, changes, ct).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<KeyValuePair<string, StateValue>>> SendConfirmedAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var mapping = ShellyMapping.For(device.Profile);
        var prefix = device.Binding[PrefixKey];
        var calls = changes
            .Select(c => (Change: c, Map: mapping.Find(c.Capability.Name)!))
            .GroupBy(x => (x.Map.Method!, x.Map.Component));
        var confirmed = new KeyValuePair<string, StateValue>[changes.Count];
        var n = 0;
        foreach (var call in calls)
        {
            var items = call.ToArray();
            // No deadline of its own: the command's one deadline ends ct.
            using (await rpc.CallAsync(prefix, call.Key.Item1, items, WriteParams, Timeout.InfiniteTimeSpan, ct, from: device.Id).ConfigureAwait(false)) { }
            foreach (var (change, _) in items) confirmed[n++] = new(change.Capability.Name, change.Value);
        }
        return confirmed;
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
