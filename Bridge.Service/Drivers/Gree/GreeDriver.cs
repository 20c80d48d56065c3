using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Gree;

/// <summary>Sends capability changes to a Gree unit as one <c>cmd</c> (<c>opt</c> columns, <c>p</c>
/// values) and confirms them from the unit's <c>res</c>: the values it echoed (<c>val</c>, or <c>p</c>
/// on firmware that sends only that), PROTOCOLS.md §10.3. The unit's link sends one request at a time.</summary>
public sealed class GreeDriver(GreeDevices devices) : ICorrelatedDriver
{
    public string Name => GreeDevices.Protocol;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => GreeMapping.Parse(profile, problems);

    public CommandConcurrency Concurrency(Device device) => CommandConcurrency.Correlated;

    public StateValue Expected(Device device, Capability capability, StateValue requested) =>
        GreeMapping.For(device.Profile).Find(capability.Name) is { } map && map.ToDevice(requested) is { } v && map.FromDevice(v, null) is { } back ? back : requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct) =>
        await SendConfirmedAsync(device, changes, ct).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<KeyValuePair<string, StateValue>>> SendConfirmedAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var unit = devices.Unit(device.Id) ?? throw new CommandFailedException(CommandFailure.Offline(device.Id, device.OfflineReason));
        var mapping = GreeMapping.For(device.Profile);
        var columns = new List<string>(changes.Count);
        var values = new List<int>(changes.Count);
        foreach (var change in changes)
        {
            var map = mapping.Find(change.Capability.Name);
            if (map is not { Writable: true } || map.ToDevice(change.Value) is not { } v)
                throw new CommandFailedException(new(ErrorCodes.InvalidValue, $"'{change.Capability.Name}' = '{change.Value}' cannot be sent to a Gree unit with profile '{device.Profile.Id}'"));
            columns.Add(map.Column);
            values.Add(v);
        }
        var res = await unit.CommandAsync(columns, values, ct).ConfigureAwait(false);
        // Firmware that echoes no opt confirms the columns it was sent, in order.
        var confirmedColumns = res.Columns.Count > 0 ? res.Columns : columns;
        var confirmed = new List<KeyValuePair<string, StateValue>>(changes.Count);
        mapping.Read(confirmedColumns, res.Values, unit.Firmware, confirmed);
        if (confirmed.Count == 0)
            throw new CommandFailedException(new(ErrorCodes.Internal, $"Gree unit '{device.Id}' answered the command without the values it applied"));
        return confirmed;
    }
}
