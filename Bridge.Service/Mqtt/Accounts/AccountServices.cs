using Bridge.Service.StartupChecks;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Mqtt.Accounts;

public static class AccountServices
{
    /// <summary>Broker accounts: the device accounts (<see cref="DeviceAccounts"/>, for adopters and
    /// provisioners), the book the broker checks and the broker's access control. Protocols add their <see cref="IMqttDeviceRights"/> in their modules (<c>MqttRights&lt;T&gt;()</c>).</summary>
    public static IServiceCollection AddBrokerAccounts(this IServiceCollection services, IConfiguration config)
    {
        // Validated with the rest of Mqtt:* by the MQTT options.
        services.AddOptions<BrokerAccountOptions>().BindConfiguration(BrokerAccountOptions.Section);
        services.AddSingleton<DeviceAccounts>();
        services.AddSingleton<AccountBook>();
        services.AddSingleton<BrokerAccessControl>();
        services.AddSingleton<IStartupCheck, AccountBookCheck>();
        return services;
    }

    /// <summary>Reads the accounts by hand (password files, secrets, protocols) before the start: a problem
    /// there stops it like any bad setting.</summary>
    private sealed class AccountBookCheck : IStartupCheck
    {
        public bool AfterOptions => true;

        public void Collect(IServiceProvider services, List<string> problems)
        {
            if (services.GetRequiredService<IOptions<BrokerAccountOptions>>().Value.Embedded)
                services.GetRequiredService<AccountBook>().Load(problems);
        }
    }
}
