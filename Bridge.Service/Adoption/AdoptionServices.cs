using Bridge.Service.StartupChecks;

namespace Bridge.Service.Adoption;

public static class AdoptionServices
{
    /// <summary>Adopting discovered devices (op <c>adopt</c>): the registry of the modules' adopters, and
    /// the devices declared in <c>Devices:Static</c>.</summary>
    public static IServiceCollection AddAdoption(this IServiceCollection services, IConfiguration config)
    {
        services.AddValidatedOptions<AdoptOptions>(config, AdoptOptions.Section, o => o.Validate());
        services.AddSingleton<AdopterRegistry>();
        services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<Devices.DevicesOptions>, StaticDevicesValidator>();
        services.AddHostedService<StaticDevices>();
        return services;
    }
}
