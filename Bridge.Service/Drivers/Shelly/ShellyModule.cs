using System.Net;
using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>Shelly Gen2+ over MQTT (JSON-RPC): devices found on the broker by <c>&lt;prefix&gt;/online</c> and on
/// the LAN by mDNS, adopted by pointing them at the bridge's broker through their local RPC (HTTP).</summary>
public sealed class ShellyModule : IProtocolModule
{
    public string Name => ShellyDriver.DriverName;

    public void Register(ProtocolBuilder protocol)
    {
        protocol
            .Singleton<ShellyRpcClient>()
            .Driver<ShellyDriver>()
            .Hosted<ShellyIngress>()
            .MqttRights<ShellyMqttRights>()
            .Mdns(new ShellyMdnsMatcher())
            .Adopter<ShellyAdopter>()
            .Demo<ShellyDemoDevices>();
        // Each call has its own timeout (Adopt:RpcTimeout, on the injected clock); devices are on the LAN, never behind a proxy.
        protocol.Services.AddHttpClient<ShellyLocalRpc>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
    }
}
