using Bridge.Service.StartupChecks;

namespace Bridge.Service.Discovery;

public static class DiscoveryServices
{
    /// <summary>Being found (mDNS responder, UDP beacon) and finding devices (mDNS querier with the modules'
    /// matchers, the modules' UDP searches). The endpoint starts before the responder, so on shutdown the
    /// responder's goodbye goes out while the socket is still open.</summary>
    public static IServiceCollection AddDiscovery(this IServiceCollection services, IConfiguration config)
    {
        services.AddValidatedOptions<DiscoveryOptions>(config, DiscoveryOptions.Section, o => o.Validate());
        services.AddSingleton<ApiAddress>();
        services.AddSingleton<MdnsEndpoint>();
        services.AddSingleton<MdnsResponder>();
        services.AddSingleton<UdpBeacon>();
        services.AddSingleton<MdnsMatchers>();
        services.AddSingleton<DiscoveredDevices>();
        services.AddSingleton<MdnsQuerier>();
        services.AddSingleton<UdpDiscoveryHost>();
        services.AddHostedService(sp => sp.GetRequiredService<MdnsEndpoint>());
        services.AddHostedService(sp => sp.GetRequiredService<MdnsResponder>());
        services.AddHostedService(sp => sp.GetRequiredService<UdpBeacon>());
        services.AddHostedService(sp => sp.GetRequiredService<MdnsQuerier>());
        services.AddHostedService(sp => sp.GetRequiredService<UdpDiscoveryHost>());
        return services;
    }
}
