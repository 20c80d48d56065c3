using Bridge.Service.Modules;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Tasmota over MQTT: devices found by Tasmota's native discovery (<c>tasmota/discovery/&lt;MAC&gt;/config</c>),
/// availability by LWT, state by RESULT/STATE/SENSOR, commands as <c>cmnd/&lt;t&gt;/&lt;Command&gt;</c>.</summary>
public sealed class TasmotaModule : IProtocolModule
{
    public string Name => TasmotaDriver.DriverName;

    public void Register(ProtocolBuilder protocol) => protocol
        .Driver<TasmotaDriver>()
        .Hosted<TasmotaIngress>()
        .MqttRights<TasmotaMqttRights>()
        .Mdns(new TasmotaMdnsMatcher())
        .Demo<TasmotaDemoDevices>();
}
