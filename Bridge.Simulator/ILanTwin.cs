using System.Net;

namespace Bridge.Simulator;

/// <summary>A simulated device that serves its own sockets instead of joining the broker (Yeelight,
/// and the LAN protocols: Tuya, miIO, Gree): it answers its protocol's search and takes commands.</summary>
public interface ILanTwin : ISimulatedTwin
{
    /// <summary>Opens its sockets on loopback. <paramref name="multicast"/>: answer searches on the
    /// protocol's own group or port (only inside a network namespace whose loopback carries multicast);
    /// otherwise on a loopback port of its own, <see cref="UnicastSearchEndPoint"/>.</summary>
    Task StartAsync(bool multicast);

    /// <summary>Where to send the protocol's search by unicast; null when it answers on multicast or is not started.</summary>
    IPEndPoint? UnicastSearchEndPoint { get; }

    /// <summary>A LAN device needs no broker: only whether to answer on multicast.</summary>
    Task ISimulatedTwin.StartAsync(HomeNetwork network, CancellationToken ct) => StartAsync(network.Multicast);
}
