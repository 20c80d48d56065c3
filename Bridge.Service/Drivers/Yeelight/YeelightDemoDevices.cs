using Bridge.Service.Demo;
using Bridge.Service.Discovery;
using Bridge.Simulator.Yeelight;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>The demo home's Yeelight bulbs. The demo binds loopback only, where a host has no multicast:
/// the bridge searches each bulb by unicast. With the search off, the demo does not wait for them.</summary>
public sealed class YeelightDemoDevices(UdpDiscoveryHost search) : IDemoDevices
{
    public DemoDevices Create(TimeProvider time) => DemoDevices.OfLan(YeelightDemo.Bulbs(time));

    public IEnumerable<string> Started(DemoDevices mine)
    {
        foreach (var bulb in mine.Lan)
            if (bulb.UnicastSearchEndPoint is { } at) search.AddTarget(YeelightDriver.DriverName, at);
        return search.IsSearching(YeelightDriver.DriverName) ? mine.Lan.Where(b => !b.StartOffline).Select(b => b.DeviceId).ToArray() : [];
    }
}
