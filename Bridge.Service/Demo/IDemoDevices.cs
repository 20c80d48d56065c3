using Bridge.Simulator;

namespace Bridge.Service.Demo;

/// <summary>A protocol's simulated devices in the home that <c>--demo</c> starts, each starting itself
/// (<see cref="ISimulatedTwin"/>): MQTT devices join the embedded broker; LAN twins serve their own loopback sockets.</summary>
public sealed record DemoDevices(IReadOnlyList<ISimulatedTwin> All)
{
    public static readonly DemoDevices None = new([]);
    public static DemoDevices Of(params ISimulatedTwin[] twins) => new(twins);
    public static DemoDevices OfLan(params ILanTwin[] lan) => new(lan);

    /// <summary>Those that join the broker.</summary>
    public IReadOnlyList<SimulatedDevice> Mqtt => All.OfType<SimulatedDevice>().ToArray();

    /// <summary>Those that serve their own sockets.</summary>
    public IReadOnlyList<ILanTwin> Lan => All.OfType<ILanTwin>().ToArray();
}

/// <summary>A protocol module's part of the demo home.</summary>
public interface IDemoDevices
{
    /// <summary>This protocol's devices, in their documented starting state.</summary>
    DemoDevices Create(TimeProvider time);

    /// <summary>This protocol's part of the load-test home that <c>Demo:Lamps</c> (<paramref name="count"/>)
    /// starts instead of the demo home; none unless the protocol offers one (Tasmota's N lamps).</summary>
    DemoDevices LoadTest(int count, TimeProvider time) => DemoDevices.None;

    /// <summary>Called once the home runs: lets the bridge reach this protocol's devices (loopback has no
    /// broadcast, so a search goes to each twin's <see cref="ILanTwin.UnicastSearchEndPoint"/>). Returns
    /// the ids of the devices the demo waits for before it prints <c>Local API:</c> (none when this
    /// protocol's discovery is off).</summary>
    IEnumerable<string> Started(DemoDevices mine) =>
        mine.All.Where(t => !t.StartOffline).Select(t => t.DeviceId);

    /// <summary>What this protocol's adopter would record about <paramref name="device"/> in its broker
    /// account (its MAC, say); empty when the device is not this protocol's or needs nothing.</summary>
    IReadOnlyDictionary<string, string> AccountFacts(SimulatedDevice device) => NoFacts;

    static readonly IReadOnlyDictionary<string, string> NoFacts = new Dictionary<string, string>();
}
