using Bridge.Protocols.Model;
using Bridge.Protocols.Tuya;
using Bridge.Service.Commands;
using Bridge.Service.Devices;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>Sends capability changes to a Tuya device as one CONTROL (3.1/3.3) or CONTROL_NEW
/// (3.4/3.5) over its connection. The device acks, then pushes STATUS with the changed data points:
/// that push completes the command (PROTOCOLS.md §10.1). When no push follows an ack (some firmware
/// pushes nothing for a value it already had), a DP query tells the truth.</summary>
public sealed class TuyaDriver(TuyaDevices devices, IOptions<TuyaOptions> options, IOptions<CommandOptions> commandOptions, TimeProvider time) : IDeviceDriver
{
    public string Name => TuyaDevices.Protocol;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => TuyaMapping.Parse(profile, problems);

    public StateValue Expected(Device device, Capability capability, StateValue requested) =>
        TuyaMapping.For(device.Profile).Find(capability.Name) is { } map && map.ToDevice(requested) is { } dp && map.FromDevice(dp) is { } back ? back : requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var connection = devices.Connection(device.Id);
        if (connection is not { IsConnected: true }) throw new CommandFailedException(CommandFailure.Offline(device.Id, device.OfflineReason));
        var mapping = TuyaMapping.For(device.Profile);
        var dps = new List<KeyValuePair<string, TuyaDpValue>>(changes.Count);
        foreach (var change in changes)
        {
            var map = mapping.Find(change.Capability.Name)!;
            if (map.ToDevice(change.Value) is not { } dp)
                throw new CommandFailedException(new(Protocols.Api.ErrorCodes.InvalidValue, $"'{change.Value}' has no data point value in profile '{device.Profile.Id}'"));
            dps.Add(new(map.Dp, dp));
        }
        var timeout = commandOptions.Value.ConfirmTimeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var reportsBefore = connection.Reports;
        try
        {
            await connection.SendControlAsync(dps, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new CommandFailedException(CommandFailure.TimedOut(device.Id, timeout));
        }
        _ = QueryIfQuietAsync(connection, reportsBefore);
    }

    /// <summary>No STATUS since the control went out, a while after its ack: ask, the answer is a report too.</summary>
    private async Task QueryIfQuietAsync(TuyaConnection connection, long reportsBefore)
    {
        try
        {
            await Task.Delay(options.Value.QueryAfterAck, time).ConfigureAwait(false);
            if (connection.Reports == reportsBefore && connection.IsConnected) await connection.QueryAsync(CancellationToken.None).ConfigureAwait(false);
        }
        catch (CommandFailedException)
        {
        }
    }
}
