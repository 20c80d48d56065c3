using Bridge.Service.Demo;
using Bridge.Simulator.Tasmota;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>The demo home's Tasmota devices: a CT lamp, an IR air conditioner, a water heater.</summary>
public sealed class TasmotaDemoDevices : IDemoDevices
{
    public DemoDevices Create(TimeProvider time) => DemoDevices.Of(TasmotaDemo.Devices(time));
}
