using Bridge.Simulator;

namespace Bridge.Service.Demo;

/// <summary>A protocol's simulated devices in the home that <c>--demo</c> starts: MQTT devices join the
/// embedded broker; LAN twins serve their own loopback sockets.</summary>
public sealed record DemoDevices(IReadOnlyList<SimulatedDevice> Mqtt, IReadOnlyList<ILanTwin> Lan)
{
    public static DemoDevices Of(params SimulatedDevice[] mqtt) => new(mqtt, []);
    public static DemoDevices OfLan(params ILanTwin[] lan) => new([], lan);
}

/// <summary>A protocol module's part of the demo home.</summary>
public interface IDemoDevices
{
    /// <summary>This protocol's devices, in their documented starting state.</summary>
    DemoDevices Create(TimeProvider time);

    /// <summary>Called once the home runs: lets the bridge reach this protocol's devices (loopback has no
    /// broadcast, so a search goes to each twin's <see cref="ILanTwin.UnicastSearchEndPoint"/>). Returns
    /// the ids of the devices the demo waits for before it prints <c>Local API:</c> (none when this
    /// protocol's discovery is off).</summary>
    IEnumerable<string> Started(DemoDevices mine) =>
        mine.Mqtt.Where(d => !d.StartOffline).Select(d => d.Id).Concat(mine.Lan.Where(t => !t.StartOffline).Select(t => t.DeviceId));

    /// <summary>What this protocol's adopter would record about <paramref name="device"/> in its broker
    /// account (its MAC, say); empty when the device is not this protocol's or needs nothing.</summary>
    IReadOnlyDictionary<string, string> AccountFacts(SimulatedDevice device) => NoFacts;

    static readonly IReadOnlyDictionary<string, string> NoFacts = new Dictionary<string, string>();
}
