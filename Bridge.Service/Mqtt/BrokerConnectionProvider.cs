using System.Net;
using System.Net.Sockets;
using Bridge.Runtime.Sockets;
using MQTTnet.Channel;

namespace Bridge.Service.Mqtt;

/// <summary>Opens the bridge's TCP connection to an external broker (<see cref="TcpConnector"/>) and
/// reads it through a <see cref="ReadAheadStream"/>, so a burst of reports costs one socket read,
/// not two or three a message, and those reads block on a thread of the link's own
/// (<see cref="ReaderThreadStream"/>), which MQTTnet's receive loop then runs on. The socket is a
/// blocking one the runtime's socket engine never serves, so a burst of reports wakes that thread
/// and nothing else: no epoll wake-up, failed read or thread-pool hop per burst.</summary>
internal sealed class BrokerConnectionProvider : IMqttClientStreamProvider
{
    public static readonly TimeSpan SendTimeout = TimeSpan.FromSeconds(10);

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = await TcpConnector.ConnectBlockingAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
        // Writes block too (ReaderThreadStream): a broker that stops reading fails a write at this
        // timeout, and the link then drops the connection, instead of holding the sender for ever.
        socket.SendTimeout = (int)SendTimeout.TotalMilliseconds;
        return new ReadAheadStream(new ReaderThreadStream(new NetworkStream(socket, ownsSocket: true), "Broker link reader"));
    }
}
