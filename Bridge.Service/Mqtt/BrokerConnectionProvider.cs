using System.Net;
using System.Net.Sockets;
using Bridge.Runtime.Sockets;
using MQTTnet.Channel;

namespace Bridge.Service.Mqtt;

/// <summary>Opens the bridge's TCP connection to an external broker (<see cref="TcpConnector"/>) and
/// reads it through a <see cref="ReadAheadStream"/>, so a burst of reports costs one socket read,
/// not two or three a message; with blocking reads, since MQTTnet's receive loop is the one reader
/// and the link is one connection for the bridge's whole life.</summary>
internal sealed class BrokerConnectionProvider : IMqttClientStreamProvider
{
    static BrokerConnectionProvider()
    {
        // The receive loop keeps a pool thread for itself (blocking reads): one more stays at hand for
        // the rest, so nothing waits for the pool to notice a thread is busy for good.
        ThreadPool.GetMinThreads(out var workers, out var io);
        ThreadPool.SetMinThreads(workers + 1, io);
    }

    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = await TcpConnector.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
        return new ReadAheadStream(new NetworkStream(socket, ownsSocket: true), blockingReads: true);
    }
}
