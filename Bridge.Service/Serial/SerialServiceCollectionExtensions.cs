using Bridge.Service.Drivers;
using Bridge.Service.Drivers.Modbus;

namespace Bridge.Service.Serial;

public static class SerialServiceCollectionExtensions
{
    /// <summary>The Modbus driver and the serial lines. Registered after the device store, so
    /// configured devices update the saved ones instead of racing them.</summary>
    public static IServiceCollection AddSerial(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<SerialOptions>(config.GetSection(SerialOptions.Section));
        services.AddSingleton<ISerialPortOpener, SystemSerialPortOpener>();
        services.AddSingleton<ModbusPoller>();
        services.AddSingleton<SerialService>();
        services.AddSingleton<IDeviceDriver, ModbusDriver>();
        services.AddHostedService(sp => sp.GetRequiredService<SerialService>());
        return services;
    }
}
