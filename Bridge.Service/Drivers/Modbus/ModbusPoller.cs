using System.Runtime.InteropServices;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>One poll of one device: read its registers, report the state (a change on the unit
/// itself becomes a state event), and keep availability: a slave that answers is online, one
/// that stops answering is offline.</summary>
public sealed class ModbusPoller(DeviceRegistry registry, MalformedPayloadLog malformed, ILogger<ModbusPoller> log)
{
    public async Task PollAsync(ModbusMaster master, SerialDevice device, CancellationToken ct)
    {
        try
        {
            await ReadAndReportAsync(master, device, ct).ConfigureAwait(false);
            registry.SetOnline(device.Device, true);
        }
        catch (ModbusTimeoutException e)
        {
            if (device.Device.Online) log.LogWarning("Device {DeviceId} stopped answering: {Reason}", device.Device.Id, e.Message);
            registry.SetOnline(device.Device, false);
        }
        catch (ModbusDeviceException e)
        {
            // It answered, so it is there; the profile probably does not fit the model.
            registry.SetOnline(device.Device, true);
            malformed.Report(device.Device.Id, $"slave {device.Slave}", e.Message);
        }
    }

    /// <summary>Reads the device and applies what it reported; used by polls and by commands' read-back.</summary>
    public async Task ReadAndReportAsync(ModbusMaster master, SerialDevice device, CancellationToken ct)
    {
        var unknown = new List<string>();
        var state = await ModbusStateReader.ReadAsync(master, device, unknown, ct).ConfigureAwait(false);
        foreach (var u in unknown) malformed.Report(device.Device.Id, $"slave {device.Slave}", u);
        registry.ApplyReport(device.Device, CollectionsMarshal.AsSpan(state));
    }
}
