using Bridge.Service.Demo;
using Bridge.Simulator.Shelly;

namespace Bridge.Service.Drivers.Shelly;

/// <summary>The demo home's Shelly devices: a dimmer and a plug.</summary>
public sealed class ShellyDemoDevices : IDemoDevices
{
    public DemoDevices Create(TimeProvider time) => DemoDevices.Of(ShellyDemo.Devices(time));
}
