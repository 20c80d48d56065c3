using Bridge.Service.Discovery;

namespace Bridge.Service.Drivers.Yeelight;

public static class YeelightServices
{
    /// <summary>The Yeelight driver, its bulbs' connections and their discovery. The bulbs start
    /// before discovery, so a search answer always finds somewhere to go.</summary>
    public static IServiceCollection AddYeelight(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<YeelightOptions>(config.GetSection(YeelightOptions.Section));
        services.AddSingleton<YeelightBulbs>();
        services.AddSingleton<IDeviceDriver, YeelightDriver>();
        services.AddSingleton<YeelightDiscovery>();
        services.AddHostedService(sp => sp.GetRequiredService<YeelightBulbs>());
        services.AddHostedService(sp => sp.GetRequiredService<YeelightDiscovery>());
        return services;
    }
}
