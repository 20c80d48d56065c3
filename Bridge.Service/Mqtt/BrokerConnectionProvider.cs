using System.Net;
using System.Net.Sockets;
using Bridge.Runtime.Sockets;
using MQTTnet.Channel;

namespace Bridge.Service.Mqtt;

/// <summary>Opens the bridge's TCP connection to an external broker: NoDelay (commands are small and
/// latency-bound), each address of a host name tried in turn, reads through a
/// <see cref="ReadAheadStream"/> so a burst of reports costs one socket read, not two or three
/// a message.</summary>
internal sealed class BrokerConnectionProvider : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var (addresses, port) = brokerEndPoint switch
        {
            IPEndPoint ip => ([ip.Address], ip.Port),
            DnsEndPoint dns => (await Dns.GetHostAddressesAsync(dns.Host, cancellationToken).ConfigureAwait(false), dns.Port),
            _ => throw new ArgumentException($"cannot connect to a {brokerEndPoint.GetType().Name}", nameof(brokerEndPoint)),
        };
        SocketException? last = null;
        foreach (var address in addresses)
        {
            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
                return new ReadAheadStream(new NetworkStream(socket, ownsSocket: true));
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
