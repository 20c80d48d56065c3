using Bridge.Service.Demo;
using Bridge.Simulator;
using Bridge.Simulator.Tasmota;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>The demo home's Tasmota devices: a CT lamp, an IR air conditioner, a water heater.</summary>
public sealed class TasmotaDemoDevices : IDemoDevices
{
    public DemoDevices Create(TimeProvider time) => DemoDevices.Of(TasmotaDemo.Devices(time));

    /// <summary>A Tasmota's account carries its MAC, as <see cref="TasmotaAdopter"/> records it.</summary>
    public IReadOnlyDictionary<string, string> AccountFacts(SimulatedDevice device) =>
        device is TasmotaDevice tasmota
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [TasmotaMqttRights.MacFact] = tasmota.Mac }
            : new Dictionary<string, string>();
}
