namespace Bridge.Simulator;

/// <summary>One simulated device of any protocol, as a <see cref="Home.SimulatedHome"/> holds it: it knows how to
/// start itself on the home's network (join the broker, open its own sockets, serve its local API) and how to
/// stop, so the home starts every protocol's twins the same way and knows none of them.</summary>
public interface ISimulatedTwin : IAsyncDisposable
{
    /// <summary>The id the bridge knows it by (a Tasmota topic, a Shelly id, <c>yeelight-…</c>, <c>tuya-…</c>).</summary>
    string DeviceId { get; }

    string Name { get; }

    /// <summary>Switched off at the wall: <see cref="StartAsync"/> leaves it unreachable.</summary>
    bool StartOffline { get; }

    /// <summary>Starts the device on <paramref name="network"/>; returns once it is reachable (an MQTT device
    /// connected and announced, a LAN device listening).</summary>
    Task StartAsync(HomeNetwork network, CancellationToken ct);
}
