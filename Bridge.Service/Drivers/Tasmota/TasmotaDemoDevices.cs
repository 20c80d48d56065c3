using Bridge.Service.Demo;
using Bridge.Simulator;
using Bridge.Simulator.Tasmota;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>The demo home's Tasmota devices: a CT lamp, an IR air conditioner, a water heater; or the load-test home's lamps.</summary>
public sealed class TasmotaDemoDevices : IDemoDevices
{
    public DemoDevices Create(TimeProvider time) => DemoDevices.Of(TasmotaDemo.Devices(time));

    /// <summary>The load-test home is N Tasmota CT lamps, <c>lamp-1</c>..<c>lamp-N</c>.</summary>
    public DemoDevices LoadTest(int count, TimeProvider time) => DemoDevices.Of(TasmotaDemo.Lamps(count, time));

    /// <summary>A Tasmota's account carries its MAC, as <see cref="TasmotaAdopter"/> records it.</summary>
    public IReadOnlyDictionary<string, string> AccountFacts(SimulatedDevice device) =>
        device is TasmotaDevice tasmota
            ? new Dictionary<string, string>(StringComparer.Ordinal) { [TasmotaMqttRights.MacFact] = tasmota.Mac }
            : new Dictionary<string, string>();
}
