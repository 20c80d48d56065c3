using Bridge.Service.Adoption;
using Bridge.Service.Demo;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers;
using Bridge.Service.StartupChecks;

namespace Bridge.Service.Modules;

/// <summary>What a module may register, each part by its role, so every module reads like a list
/// of what it brings. Everything is a singleton; hosted services start in the order registered
/// (after the saved devices are loaded, before the MQTT link connects).</summary>
public sealed class ProtocolBuilder(IServiceCollection services, IConfiguration configuration, string name)
{
    public string Name { get; } = name;
    public IServiceCollection Services { get; } = services;
    public IConfiguration Configuration { get; } = configuration;

    /// <summary>The driver that turns capability changes into this protocol's messages.</summary>
    public ProtocolBuilder Driver<T>() where T : class, IDeviceDriver
    {
        Services.AddSingleton<T>();
        Services.AddSingleton<IDeviceDriver>(sp => sp.GetRequiredService<T>());
        return this;
    }

    /// <summary>A singleton that also runs as a hosted service: a listener (ingress), a connection
    /// manager, a poller.</summary>
    public ProtocolBuilder Hosted<T>() where T : class, IHostedService
    {
        Services.AddSingleton<T>();
        Services.AddHostedService(sp => sp.GetRequiredService<T>());
        return this;
    }

    /// <summary>A helper the module's parts share (an RPC client, a poller).</summary>
    public ProtocolBuilder Singleton<T>() where T : class
    {
        Services.AddSingleton<T>();
        return this;
    }

    /// <summary>Options bound from <paramref name="section"/> and checked at start with the others,
    /// every problem reported at once (exit 2).</summary>
    public ProtocolBuilder Options<T>(string section, Func<T, IEnumerable<string>> validate) where T : class
    {
        Services.AddValidatedOptions(Configuration, section, validate);
        return this;
    }

    /// <summary>Options checked at start by the module's own validator (one that needs other services).</summary>
    public ProtocolBuilder Options<T, TValidator>(string section) where T : class where TValidator : class, Microsoft.Extensions.Options.IValidateOptions<T>
    {
        Services.AddValidatedOptions<T>(Configuration, section);
        Services.AddSingleton<Microsoft.Extensions.Options.IValidateOptions<T>, TValidator>();
        return this;
    }

    /// <summary>Recognises this protocol's devices among mDNS (DNS-SD) instances.</summary>
    public ProtocolBuilder Mdns(IMdnsMatcher matcher)
    {
        Services.AddSingleton(matcher);
        return this;
    }

    /// <summary>This protocol's own UDP search (broadcast or multicast probes, listened-for adverts),
    /// run by the shared <see cref="UdpDiscoveryHost"/>.</summary>
    public ProtocolBuilder UdpDiscovery<T>() where T : class, IUdpDiscovery
    {
        Services.AddSingleton<T>();
        Services.AddSingleton<IUdpDiscovery>(sp => sp.GetRequiredService<T>());
        return this;
    }

    /// <summary>Makes a discovered device of this protocol controllable (op <c>adopt</c>).</summary>
    public ProtocolBuilder Adopter<T>() where T : class, IDeviceAdopter
    {
        Services.AddSingleton<T>();
        Services.AddSingleton<IDeviceAdopter>(sp => sp.GetRequiredService<T>());
        Services.AddSingleton(new AdoptableProtocol(Name));
        return this;
    }

    /// <summary>What this protocol's devices may publish and subscribe to on the embedded broker, each with
    /// the account the bridge makes for it (<see cref="Mqtt.Accounts.DeviceAccounts"/>).</summary>
    public ProtocolBuilder MqttRights<T>() where T : class, Mqtt.Accounts.IMqttDeviceRights
    {
        Services.AddSingleton<Mqtt.Accounts.IMqttDeviceRights, T>();
        return this;
    }

    /// <summary>This protocol's simulated twins in the home that <c>--demo</c> starts (and in the <c>Demo:Lamps</c>
    /// load-test home, if it offers one); the home starts them without knowing the protocol.</summary>
    public ProtocolBuilder Demo<T>() where T : class, IDemoDevices
    {
        Services.AddSingleton<T>();
        Services.AddSingleton<IDemoDevices>(sp => sp.GetRequiredService<T>());
        return this;
    }
}
