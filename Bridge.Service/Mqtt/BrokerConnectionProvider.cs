using System.Net;
using System.Net.Sockets;
using Bridge.Runtime.Sockets;
using MQTTnet.Channel;

namespace Bridge.Service.Mqtt;

/// <summary>Opens the bridge's TCP connection to an external broker (<see cref="TcpConnector"/>) and
/// reads it through a <see cref="ReadAheadStream"/>, so a burst of reports costs one socket read,
/// not two or three a message.</summary>
internal sealed class BrokerConnectionProvider : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        var socket = await TcpConnector.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
        return new ReadAheadStream(new NetworkStream(socket, ownsSocket: true));
    }
}
