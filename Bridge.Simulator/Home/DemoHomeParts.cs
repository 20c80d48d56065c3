using Bridge.Simulator.Gree;
using Bridge.Simulator.Shelly;
using Bridge.Simulator.Tasmota;
using Bridge.Simulator.Yeelight;

namespace Bridge.Simulator.Home;

/// <summary>The simulator's own demo home, one line per protocol; each part lives with its protocol's
/// simulated devices. (The bridge's <c>--demo</c> takes its parts from its protocol modules instead.)</summary>
internal static class DemoHomeParts
{
    public static IEnumerable<ISimulatedTwin> All(TimeProvider? time) =>
    [
        .. TasmotaDemo.Devices(time),
        .. ShellyDemo.Devices(time),
        .. YeelightDemo.Bulbs(time),
        .. GreeDemo.Units(),
    ];
}
