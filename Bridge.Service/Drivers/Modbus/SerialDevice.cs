using Bridge.Protocols.Modbus;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>A configured Modbus device: the registry's device, its slave id, map and poll period.</summary>
public sealed class SerialDevice(Device device, byte slave, ModbusProfileMap map, TimeSpan pollPeriod)
{
    public Device Device { get; } = device;
    public byte Slave { get; } = slave;
    public ModbusProfileMap Map { get; } = map;
    public TimeSpan PollPeriod { get; } = pollPeriod;

    /// <summary>1 while a poll of this device waits in the queue, so slow lines don't pile up polls.</summary>
    internal int PollQueued;
}
