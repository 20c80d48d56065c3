namespace Bridge.Service.Provisioning.SoftAp;

public static class SoftApServices
{
    /// <summary>Provisioning through a device's own access point (<c>--method softap</c>): ESP-IDF's
    /// protocomm, Shelly's and Tasmota's setup pages.</summary>
    public static IServiceCollection AddSoftApProvisioning(this IServiceCollection services) =>
        services.AddSingleton<IProvisioningMethod, SoftApProvisioner>();
}
