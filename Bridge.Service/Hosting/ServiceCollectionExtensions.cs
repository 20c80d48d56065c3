using Bridge.Service.StartupChecks;
using Bridge.Service.Api;
using Bridge.Service.Commands;
using Bridge.Service.Data;
using Bridge.Service.Demo;
using Bridge.Service.Devices;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers;
using Bridge.Service.Drivers.EspHome;
using Bridge.Service.Drivers.Modbus;
using Bridge.Service.Drivers.Shelly;
using Bridge.Service.Drivers.Tasmota;
using Bridge.Service.Drivers.Yeelight;
using Bridge.Service.Modules;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Hosting;

public static class ServiceCollectionExtensions
{
    /// <summary>Everything the bridge runs. Hosted services start in this order: the embedded broker,
    /// saved devices, the protocol modules' listeners (they subscribe), the MQTT link (embedded or
    /// external), discovery, the demo home.</summary>
    public static IServiceCollection AddBridge(this IServiceCollection services, IConfiguration config, ProfileCatalog profiles)
    {
        // Each section validated at start by its own validator, every problem reported at once.
        services.AddValidatedOptions<ApiOptions>(config, ApiOptions.Section, o => o.Validate());
        services.AddValidatedOptions<MqttOptions>(config, MqttOptions.Section, o => o.Validate());
        services.AddValidatedOptions<DataOptions>(config, DataOptions.Section, o => o.Validate());
        services.AddValidatedOptions<CommandOptions>(config, CommandOptions.Section, o => o.Validate());
        services.AddValidatedOptions<DevicesOptions>(config, DevicesOptions.Section, o => o.Validate());
        services.AddValidatedOptions<DemoOptions>(config, DemoOptions.Section, o => o.Validate());
        services.AddValidatedOptions<PairingOptions>(config, PairingOptions.Section, o => o.Validate());
        services.AddValidatedOptions<Relay.RelayOptions>(config, Relay.RelayOptions.Section, o => o.Validate());

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
        services.AddSingleton<ProfileMatcher>();
        services.AddSingleton<DeviceStore>();
        services.AddSingleton<MalformedPayloadLog>();

        services.AddSingleton<EmbeddedBroker>();
        Mqtt.Accounts.AccountServices.AddBrokerAccounts(services, config);
        services.AddValidatedOptions<Metrics.MetricsOptions>(config, Metrics.MetricsOptions.Section, o => o.Validate());
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

        services.AddSingleton<DriverCatalog>();
        services.AddSingleton<IStartupCheck, ProfileDriverCheck>();
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

        // Protocol modules: one line each (docs/adding-a-protocol.md).
        services.AddProtocol<TasmotaModule>(config);
        services.AddProtocol<ShellyModule>(config);
        services.AddProtocol<YeelightModule>(config);
        services.AddProtocol<ModbusModule>(config);
        services.AddProtocol<EspHomeModule>(config);
        // lanproto (issue 13): the LAN protocols of the devices Chinese homes own.
        services.AddProtocol<Drivers.Tuya.TuyaModule>(config);
        services.AddProtocol<Drivers.Miio.MiioModule>(config);
        services.AddProtocol<Drivers.Gree.GreeModule>(config);

        if (embedded) services.AddHostedService(sp => sp.GetRequiredService<EmbeddedBrokerLink>());
        else services.AddHostedService(sp => sp.GetRequiredService<BrokerClientLink>());
        services.AddDiscovery(config);
        Adoption.AdoptionServices.AddAdoption(services, config);
        Provisioning.ProvisioningServices.AddProvisioning(services, config);
        Provisioning.SoftAp.SoftApServices.AddSoftApProvisioning(services);
        services.AddHostedService(sp => sp.GetRequiredService<DemoHome>());
        Household.HouseholdServices.AddHousehold(services, config);
        Web.WebConsoleServices.AddWebConsole(services, config);
        return services;
    }
}
