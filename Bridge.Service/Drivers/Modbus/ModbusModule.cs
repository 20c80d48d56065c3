using Bridge.Service.Modules;
using Bridge.Service.Serial;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>Modbus RTU devices on serial lines, declared in <c>Serial:Ports</c> (CONTRACT.md): one
/// line runner per port polls its devices and runs commands between polls.</summary>
public sealed class ModbusModule : IProtocolModule
{
    public string Name => ModbusDriver.DriverName;

    /// <summary>The lines start after the saved devices are loaded, so configured devices update the
    /// saved ones instead of racing them.</summary>
    public void Register(ProtocolBuilder protocol)
    {
        protocol.Services.TryAddSingleton<ISerialPortOpener, SystemSerialPortOpener>();
        protocol
            .Options<SerialOptions, SerialOptionsValidator>(SerialOptions.Section)
            .Singleton<ModbusPoller>()
            .Hosted<SerialService>()
            .Driver<ModbusDriver>();
    }
}
