using System.Net;

namespace Bridge.Service.Adoption;

public static class AdoptionServices
{
    /// <summary>Adopting discovered devices (op <c>adopt</c>): the Shelly local RPC client and the adopter.</summary>
    public static IServiceCollection AddAdoption(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<AdoptOptions>(config.GetSection(AdoptOptions.Section));
        // Each call has its own timeout (AdoptOptions.RpcTimeout, on the injected clock); devices are on the LAN, never behind a proxy.
        services.AddHttpClient<ShellyLocalRpc>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
        services.AddSingleton<ShellyAdopter>();
        return services;
    }
}
