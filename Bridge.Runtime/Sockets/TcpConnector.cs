using System.Net;
using System.Net.Sockets;

namespace Bridge.Runtime.Sockets;

/// <summary>Opens a TCP connection for a small-message protocol (MQTT): NoDelay, since messages are
/// small and latency-bound; a host name resolved and each of its addresses tried in turn.</summary>
public static class TcpConnector
{
    public static async Task<Socket> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken)
    {
        var (addresses, port) = endPoint switch
        {
            IPEndPoint ip => ([ip.Address], ip.Port),
            DnsEndPoint dns => (await Dns.GetHostAddressesAsync(dns.Host, cancellationToken).ConfigureAwait(false), dns.Port),
            _ => throw new ArgumentException($"cannot connect to a {endPoint.GetType().Name}", nameof(endPoint)),
        };
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return socket;
            }
            catch (SocketException e)
            {
                socket.Dispose();
                last = e;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        }
        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }
}
