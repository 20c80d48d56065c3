using Bridge.Service.StartupChecks;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Mqtt.Accounts;

public static class AccountServices
{
    /// <summary>Broker accounts: the device accounts (<see cref="DeviceAccounts"/>, for adopters and
    /// provisioners), the book the broker checks, the broker's access control, and where <c>/metrics</c>
    /// is served. Protocols add their <see cref="IMqttDeviceRights"/> in their modules (<c>MqttRights&lt;T&gt;()</c>).</summary>
    public static IServiceCollection AddBrokerAccounts(this IServiceCollection services, IConfiguration config)
    {
        services.AddSingleton<DeviceAccounts>();
        services.AddSingleton<AccountBook>();
        services.AddSingleton<BrokerAccessControl>();
        services.AddSingleton<IStartupCheck, AccountBookCheck>();
        services.AddValidatedOptions<Metrics.MetricsOptions>(config, Metrics.MetricsOptions.Section, o => o.Validate());
        return services;
    }

    /// <summary>Reads the accounts by hand (password files, secrets, protocols) before the start: a problem
    /// there stops it like any bad setting.</summary>
    private sealed class AccountBookCheck : IStartupCheck
    {
        public bool AfterOptions => true;

        public void Collect(IServiceProvider services, List<string> problems)
        {
            if (services.GetRequiredService<IOptions<MqttOptions>>().Value.Embedded)
                services.GetRequiredService<AccountBook>().Load(problems);
        }
    }
}
