using Bridge.Service.Api;
using Bridge.Service.StartupChecks;

namespace Bridge.Service.Provisioning;

public static class ProvisioningServices
{
    /// <summary>Giving new devices their Wi-Fi (ops <c>provision</c>, <c>wifi_networks</c>) and its methods.</summary>
    public static IServiceCollection AddProvisioning(this IServiceCollection services, IConfiguration config)
    {
        services.AddValidatedOptions<ProvisionOptions>(config, ProvisionOptions.Section, o => o.Validate());
        services.AddSingleton<IProvisioningMethod, ImprovProvisioner>();
        services.AddSingleton<ProvisionedDeviceFinder>();
        services.AddSingleton<ProvisioningService>();
        services.AddApiOp<ProvisionOp>();
        services.AddApiOp<WifiNetworksOp>();
        return services;
    }
}
