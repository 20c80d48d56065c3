namespace Bridge.Service.Discovery;

public static class DiscoveryServices
{
    /// <summary>Being found (mDNS responder, UDP beacon) and finding devices (mDNS querier). The endpoint starts before the responder,
    /// so on shutdown the responder's goodbye goes out while the socket is still open.</summary>
    public static IServiceCollection AddDiscovery(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<DiscoveryOptions>(config.GetSection(DiscoveryOptions.Section));
        services.AddSingleton<ApiAddress>();
        services.AddSingleton<MdnsEndpoint>();
        services.AddSingleton<MdnsResponder>();
        services.AddSingleton<UdpBeacon>();
        services.AddSingleton<DiscoveredDevices>();
        services.AddSingleton<MdnsQuerier>();
        services.AddHostedService(sp => sp.GetRequiredService<MdnsEndpoint>());
        services.AddHostedService(sp => sp.GetRequiredService<MdnsResponder>());
        services.AddHostedService(sp => sp.GetRequiredService<UdpBeacon>());
        services.AddHostedService(sp => sp.GetRequiredService<MdnsQuerier>());
        return services;
    }
}
