using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Protocols.Modbus;
using Bridge.Service.Devices;
using Bridge.Service.Serial;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>Modbus RTU devices on serial lines: a <c>set</c> writes the registers, then reads them
/// back in the same turn on the line and reports what the device holds, so the reply carries the
/// state the device confirmed.</summary>
public sealed class ModbusDriver(SerialService serial, ModbusPoller poller) : IDeviceDriver
{
    public const string DriverName = SerialOptions.ModbusDriverName;

    public string Name => DriverName;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => ModbusProfileMap.Parse(profile, problems);

    public StateValue Expected(Device device, Capability capability, StateValue requested) =>
        ModbusProfileMap.For(device.Profile).Find(capability.Name)?.RoundTrip(requested) ?? requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        if (!serial.TryFind(device.Id, out var line, out var target))
            throw new CommandFailedException(CommandFailure.Offline(device.Id));
        var writes = ModbusWrites.For(target.Map, target.Slave, changes);
        try
        {
            await line.RunCommandAsync(async (master, token) =>
            {
                foreach (var w in writes) await master.TransactAsync(w, token).ConfigureAwait(false);
                await poller.ReadAndReportAsync(master, target, token).ConfigureAwait(false);
            }, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (Translate(device.Id, line.Path, e) is { } failure)
        {
            throw new CommandFailedException(failure);
        }
    }

    /// <summary>Modbus trouble in the API's terms, with the device's own words in the message.</summary>
    private static CommandFailure? Translate(string id, string port, Exception e) => e switch
    {
        SerialLineLostException => new(ErrorCodes.DeviceOffline, $"device '{id}' is offline: serial port {port} is not available"),
        ModbusTimeoutException t => new(ErrorCodes.Timeout, $"device '{id}' did not answer on {port}: {t.Message}"),
        ModbusDeviceException { Code: ModbusExceptionCode.ServerDeviceBusy } d => new(ErrorCodes.Busy, $"device '{id}' is busy: {d.Message}"),
        ModbusDeviceException { Code: ModbusExceptionCode.GatewayPathUnavailable or ModbusExceptionCode.GatewayTargetFailedToRespond } d =>
            new(ErrorCodes.DeviceOffline, $"device '{id}' is unreachable behind its gateway: {d.Message}"),
        ModbusDeviceException d => new(ErrorCodes.Internal, $"device '{id}' refused the command: {d.Message}"),
        _ => null,
    };
}
