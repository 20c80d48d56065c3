using Bridge.Service.Api;
using Bridge.Service.Commands;
using Bridge.Service.Data;
using Bridge.Service.Demo;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers;
using Bridge.Service.Drivers.Shelly;
using Bridge.Service.Drivers.Tasmota;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the bridge runs. Hosted services start in this order: the embedded broker,
    /// saved devices, drivers' listeners (they subscribe), the MQTT link (embedded or external),
    /// the demo home.</summary>
    public static IServiceCollection AddBridge(this IServiceCollection services, IConfiguration config, ProfileCatalog profiles)
    {
        services.Configure<ApiOptions>(config.GetSection(ApiOptions.Section));
        services.Configure<MqttOptions>(config.GetSection(MqttOptions.Section));
        services.Configure<DataOptions>(config.GetSection(DataOptions.Section));
        services.Configure<CommandOptions>(config.GetSection(CommandOptions.Section));
        services.Configure<DevicesOptions>(config.GetSection(DevicesOptions.Section));
        services.Configure<DemoOptions>(config.GetSection(DemoOptions.Section));
        services.Configure<PairingOptions>(config.GetSection(PairingOptions.Section));
        services.Configure<Relay.RelayOptions>(config.GetSection(Relay.RelayOptions.Section));

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => BridgeIdentity.LoadOrCreate(sp.GetRequiredService<IOptions<DataOptions>>().Value.Dir));
        services.AddSingleton(sp => new TokenStore(sp.GetRequiredService<IOptions<DataOptions>>().Value.Dir, sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton<TokenService>();
        Secrets.SecretServices.AddSecrets(services);
        services.AddSingleton<PairingCodes>();
        services.AddSingleton<RevocationWatch>();
        if (!string.IsNullOrWhiteSpace(config[$"{Relay.RelayOptions.Section}:{nameof(Relay.RelayOptions.Url)}"]))
        {
            // A background loop: it never delays start-up, and the local API works without it.
            services.AddSingleton<Relay.RelayCounters>();
            services.AddSingleton<Relay.RelayConnectionFactory>();
            services.AddSingleton<Relay.RelayLink>();
            services.AddHostedService(sp => sp.GetRequiredService<Relay.RelayLink>());
        }
        services.AddSingleton(profiles);

        services.AddSingleton<EventHub>();
        services.AddSingleton<IDeviceEvents>(sp => sp.GetRequiredService<EventHub>());
        services.AddSingleton<DeviceRegistry>();
        services.AddSingleton<DeviceStore>();
        services.AddSingleton<MalformedPayloadLog>();

        services.AddSingleton<EmbeddedBroker>();
        Mqtt.Accounts.AccountServices.AddBrokerAccounts(services);
        services.AddSingleton<Mqtt.Accounts.IMqttDeviceRights, TasmotaMqttRights>();
        services.AddSingleton<Mqtt.Accounts.IMqttDeviceRights, ShellyMqttRights>();
        var embedded = string.IsNullOrWhiteSpace(config[$"{MqttOptions.Section}:{nameof(MqttOptions.Url)}"]);
        if (embedded)
        {
            services.AddSingleton<EmbeddedBrokerLink>();
            services.AddSingleton<IMqttLink>(sp => sp.GetRequiredService<EmbeddedBrokerLink>());
        }
        else
        {
            services.AddSingleton<BrokerClientLink>();
            services.AddSingleton<IMqttLink>(sp => sp.GetRequiredService<BrokerClientLink>());
        }

        services.AddSingleton<ShellyRpcClient>();
        services.AddSingleton<IDeviceDriver, TasmotaDriver>();
        services.AddSingleton<IDeviceDriver, ShellyDriver>();
        services.AddSingleton<DriverCatalog>();
        services.AddSingleton<TasmotaIngress>();
        services.AddSingleton<ShellyIngress>();
        services.AddSingleton<CommandService>();
        services.AddSingleton<CommandMetrics>();
        services.AddSingleton<ApiDispatcher>();
        services.AddApiOp<Api.Ops.PingOp>();
        services.AddApiOp<Api.Ops.DevicesOp>();
        services.AddApiOp<Api.Ops.GetOp>();
        services.AddApiOp<Api.Ops.SetOp>();
        services.AddApiOp<Api.Ops.SubscribeOp>();
        services.AddApiOp<TokensOp>();
        services.AddApiOp<RevokeOp>();
        services.AddApiOp<DiscoveredOp>();
        services.AddApiOp<Adoption.AdoptOp>();
        services.AddSingleton<DemoHome>();

        services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBroker>());
        services.AddHostedService<DeviceStoreService>();
        services.AddHostedService(sp => sp.GetRequiredService<TasmotaIngress>());
        services.AddHostedService(sp => sp.GetRequiredService<ShellyIngress>());
        if (embedded) services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBrokerLink>());
        else services.AddHostedService(sp => sp.GetRequiredService<BrokerClientLink>());
        services.AddHostedService(sp => sp.GetRequiredService<DemoHome>());
        Serial.SerialServiceCollectionExtensions.AddSerial(services, config);
        services.AddDiscovery(config);
        Adoption.AdoptionServices.AddAdoption(services, config);
        Drivers.Yeelight.YeelightServices.AddYeelight(services, config);
        return services;
    }
}
