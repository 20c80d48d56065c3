using System.Net;
using Bridge.Service.Adoption;
using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Tasmota over MQTT: devices found by Tasmota's native discovery (<c>tasmota/discovery/&lt;MAC&gt;/config</c>),
/// availability by LWT, state by RESULT/STATE/SENSOR, commands as <c>cmnd/&lt;t&gt;/&lt;Command&gt;</c>; a Tasmota on no
/// broker (found by mDNS or by address) is adopted through its HTTP command API.</summary>
public sealed class TasmotaModule : IProtocolModule
{
    public string Name => TasmotaDriver.DriverName;

    public void Register(ProtocolBuilder protocol)
    {
        protocol
            .Driver<TasmotaDriver>()
            .Hosted<TasmotaIngress>()
            .MqttRights<TasmotaMqttRights>()
            .Mdns(new TasmotaMdnsMatcher())
            .Adopter<TasmotaAdopter>()
            .Demo<TasmotaDemoDevices>();
        protocol.Services.AddSingleton<IAddressIdentifier, TasmotaAddressIdentifier>();
        // Each call has its own timeout (Adopt:RpcTimeout, on the injected clock); devices are on the LAN, never behind a proxy.
        protocol.Services.AddHttpClient<TasmotaWebClient>(c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, AutomaticDecompression = DecompressionMethods.None });
    }
}
