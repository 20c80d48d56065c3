using Bridge.Service.Demo;
using Bridge.Service.Discovery;
using Bridge.Simulator.Gree;

namespace Bridge.Service.Drivers.Gree;

/// <summary>The demo home's Gree air conditioner. The demo binds loopback only, where a scan cannot be
/// broadcast: the bridge scans the unit by unicast. It shows in <c>discovered</c> until the user adopts
/// it (nothing to paste), so the demo does not wait for it.</summary>
public sealed class GreeDemoDevices(UdpDiscoveryHost search) : IDemoDevices
{
    public DemoDevices Create(TimeProvider time) => DemoDevices.OfLan(GreeDemo.Units());

    public IEnumerable<string> Started(DemoDevices mine)
    {
        foreach (var unit in mine.Lan)
            if (unit.UnicastSearchEndPoint is { } at) search.AddTarget(GreeDevices.Protocol, at);
        return [];
    }
}
