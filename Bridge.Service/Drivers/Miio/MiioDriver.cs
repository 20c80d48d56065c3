using System.Globalization;
using Bridge.Protocols.Api;
using Bridge.Protocols.Miio;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Miio;

/// <summary>Sends capability changes to a Xiaomi device as MIoT <c>set_properties</c> (at most 15 a
/// request), then reads every mapped property back with <c>get_properties</c>: a set answers per-property
/// codes, not state, so the read-back is the state the device confirmed (PROTOCOLS.md §10.2). Requests
/// to one device go one at a time over its connection; each command is confirmed by its own read-back.</summary>
public sealed class MiioDriver(MiioDevices devices) : ICorrelatedDriver
{
    public string Name => MiioDevices.Protocol;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => MiioMapping.Parse(profile, problems);

    public CommandConcurrency Concurrency(Device device) => CommandConcurrency.Correlated;

    public StateValue Expected(Device device, Capability capability, StateValue requested) =>
        MiioMapping.For(device.Profile).Find(capability.Name) is { } map && map.ToDevice(requested) is { } v && map.FromDevice(v) is { } back ? back : requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct) =>
        await SendConfirmedAsync(device, changes, ct).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<KeyValuePair<string, StateValue>>> SendConfirmedAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var connection = devices.Connection(device.Id) ?? throw new CommandFailedException(CommandFailure.Offline(device.Id, device.OfflineReason));
        var mapping = MiioMapping.For(device.Profile);
        var properties = new List<MiotProperty>(changes.Count);
        foreach (var change in changes)
        {
            var map = mapping.Find(change.Capability.Name)!;
            if (map.ToDevice(change.Value) is not { } value)
                throw new CommandFailedException(new(ErrorCodes.InvalidValue, $"'{change.Value}' has no property value in profile '{device.Profile.Id}'"));
            properties.Add(new MiotProperty(map.Siid, map.Piid, value));
        }
        var did = connection.Did.ToString(CultureInfo.InvariantCulture);
        try
        {
            foreach (var batch in properties.Chunk(MiioJson.MaxPropertiesPerRequest))
            {
                var reply = await connection.CallAsync("set_properties", w => MiioJson.WritePropertyList(w, did, batch, withValues: true), ct).ConfigureAwait(false);
                Check(device, mapping, reply);
            }
            return await MiioDevices.ReadStateAsync(connection, mapping, ct).ConfigureAwait(false);
        }
        catch (MiioCallException e)
        {
            if (e.Why == MiioFailure.TokenRejected)
            {
                devices.TokenRejected(device.Id, connection);
                throw new CommandFailedException(CommandFailure.Offline(device.Id, MiioFailures.TokenRejectedMessage));
            }
            throw new CommandFailedException(e.Why == MiioFailure.NoAnswer ? CommandFailure.Offline(device.Id, MiioFailures.NoAnswerMessage) : new(ErrorCodes.Internal, e.Message));
        }
    }

    /// <summary>An error reply, or a property the device refused (codes ≤ −4000; 1 means accepted and
    /// pending, which the read-back settles).</summary>
    private static void Check(Device device, MiioMapping mapping, MiioReply reply)
    {
        if (reply.IsError)
            throw new CommandFailedException(new(ErrorCodes.Internal, $"Xiaomi device '{device.Id}' refused set_properties: {reply.ErrorCode} {reply.ErrorMessage}"));
        foreach (var p in MiioJson.Properties(reply.Result))
        {
            if (p.Code is 0 or 1) continue;
            var name = mapping.Find(p.Siid, p.Piid)?.Capability.Name ?? $"{p.Siid}/{p.Piid}";
            throw new CommandFailedException(p.Code switch
            {
                -4005 => new(ErrorCodes.InvalidValue, $"Xiaomi device '{device.Id}' refused the value of '{name}' (code -4005)"),
                -4002 or -4003 => new(ErrorCodes.UnsupportedCapability, $"Xiaomi device '{device.Id}' cannot set '{name}' (code {p.Code}): is its profile right for this model?"),
                _ => new(ErrorCodes.Internal, $"Xiaomi device '{device.Id}' failed to set '{name}' (code {p.Code})"),
            });
        }
    }
}
