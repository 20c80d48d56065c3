using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Dns;

namespace Bridge.Service.Discovery;

/// <summary>A datagram as received: bytes, sender, and the interface it came in on.</summary>
public readonly record struct Datagram(byte[] Bytes, IPEndPoint From, int InterfaceIndex);

/// <summary>The UDP socket on 5353, shared with Avahi and others (<c>ReuseAddress</c> sets both
/// SO_REUSEADDR and SO_REUSEPORT on Linux, PROTOCOLS.md §1.11), joined to 224.0.0.251 on each
/// served interface. Only this class touches the socket.</summary>
public sealed class MdnsSocket : IDisposable
{
    public static readonly IPAddress Group = IPAddress.Parse("224.0.0.251");

    private readonly Socket _socket;
    private readonly SemaphoreSlim _sendGate = new(1, 1);
    private readonly ILogger _log;
    private int _sendFailureLogged;

    private MdnsSocket(Socket socket, int port, ILogger log)
    {
        _socket = socket;
        Port = port;
        _log = log;
    }

    public int Port { get; }

    /// <summary>Binds 0.0.0.0:<paramref name="port"/> and joins the group on each interface.
    /// Throws <see cref="SocketException"/> when that is impossible.</summary>
    public static MdnsSocket Open(int port, IEnumerable<LanInterface> interfaces, ILogger log)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.PacketInformation, true);
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastTimeToLive, 255);
            // Other mDNS stacks on this host (and tests) must hear us too.
            socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastLoopback, true);
            socket.Bind(new IPEndPoint(IPAddress.Any, port));
            foreach (var i in interfaces)
                socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.AddMembership, new MulticastOption(Group, i.Index));
            return new MdnsSocket(socket, port, log);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public async ValueTask<Datagram?> ReceiveAsync(byte[] buffer, CancellationToken ct)
    {
        try
        {
            var result = await _socket.ReceiveMessageFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            return new Datagram(buffer.AsSpan(0, result.ReceivedBytes).ToArray(), (IPEndPoint)result.RemoteEndPoint, result.PacketInformation.Interface);
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.MessageSize or SocketError.ConnectionReset)
        {
            return null;
        }
    }

    /// <summary>Multicasts on one interface. A failure (no route, interface gone) is logged once and
    /// otherwise ignored: discovery is a convenience, the bridge works without it.</summary>
    public async ValueTask SendMulticastAsync(byte[] packet, int interfaceIndex, CancellationToken ct)
    {
        await _sendGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            _socket.SetSocketOption(SocketOptionLevel.IP, SocketOptionName.MulticastInterface, IPAddress.HostToNetworkOrder(interfaceIndex));
            await _socket.SendToAsync(packet, SocketFlags.None, new IPEndPoint(Group, Port), ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            SendFailed(e);
        }
        finally
        {
            _sendGate.Release();
        }
    }

    public async ValueTask SendUnicastAsync(byte[] packet, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await _socket.SendToAsync(packet, SocketFlags.None, to, ct).ConfigureAwait(false);
        }
        catch (SocketException e)
        {
            SendFailed(e);
        }
    }

    private void SendFailed(SocketException e)
    {
        if (Interlocked.Exchange(ref _sendFailureLogged, 1) == 0)
            _log.LogWarning("mDNS: sending failed ({Error}); the bridge carries on, but may not be found on the LAN", e.SocketErrorCode);
    }

    public void Dispose()
    {
        _socket.Dispose();
        _sendGate.Dispose();
    }
}
