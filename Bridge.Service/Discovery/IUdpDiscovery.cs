using System.Net;

namespace Bridge.Service.Discovery;

/// <summary>A port to listen on for devices' own announcements (broadcast, or multicast to
/// <see cref="Group"/>). Bound with address reuse, never exclusively: other software on the machine
/// and other modules share these ports (CONTRACT.md: Tuya 3.5 and Gree both use UDP 7000).</summary>
public sealed record UdpListen(int Port, IPAddress? Group = null);

/// <summary>A search datagram and where it goes: a multicast group (sent on each served interface
/// that carries multicast) or the broadcast address (sent on each served interface's broadcast).
/// Answers come back to the sending socket.</summary>
public sealed record UdpProbe(ReadOnlyMemory<byte> Datagram, IPAddress Destination, int Port);

/// <summary>A protocol module's own LAN search over UDP, run by the shared <see cref="UdpDiscoveryHost"/>:
/// the probes go out at start and then ever less often (doubling from <see cref="FirstInterval"/> up
/// to <see cref="MaxInterval"/>), and every datagram that arrives on the module's listen ports or as an
/// answer to its probes is offered to <see cref="TryHandle"/>.</summary>
public interface IUdpDiscovery
{
    /// <summary>The protocol's name, as in <c>discovered</c>.</summary>
    string Protocol { get; }

    /// <summary>False: the module's search is switched off (its own options say so).</summary>
    bool Enabled { get; }

    IReadOnlyList<UdpListen> Listens { get; }
    IReadOnlyList<UdpProbe> Probes { get; }

    /// <summary>Places to send the probes to by unicast as well (a device on another subnet, the demo's
    /// devices on loopback); more may be added at run time with <see cref="UdpDiscoveryHost.AddTarget"/>.</summary>
    IReadOnlyList<IPEndPoint> Targets { get; }

    TimeSpan FirstInterval { get; }
    TimeSpan MaxInterval { get; }

    /// <summary>The largest datagram this protocol sends; longer ones are not its own.</summary>
    int MaxDatagramBytes { get; }

    /// <summary>A datagram from <paramref name="from"/>, heard on <paramref name="via"/> when known. True
    /// when it was this protocol's (and was handled: reported to <see cref="DiscoveredDevices"/>, say);
    /// false for anything else, which the next module may take. Never throws for bad input.</summary>
    bool TryHandle(ReadOnlySpan<byte> datagram, IPEndPoint from, LanInterface? via);
}
