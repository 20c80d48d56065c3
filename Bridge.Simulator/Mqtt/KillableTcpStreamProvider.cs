using System.Net;
using System.Net.Sockets;
using Bridge.Runtime.Sockets;
using MQTTnet.Channel;

namespace Bridge.Simulator.Mqtt;

/// <summary>Opens the TCP connection for one MQTT client and keeps hold of its socket, so the device
/// can lose its connection abruptly (reset, no DISCONNECT packet) as a device losing power does;
/// the broker then publishes the device's last will.</summary>
internal sealed class KillableTcpStreamProvider : IMqttClientStreamProvider
{
    private Socket? _socket;

    public async Task<Stream> ConnectAsync(EndPoint remoteEndPoint, CancellationToken cancellationToken)
    {
        var socket = await TcpConnector.ConnectAsync(remoteEndPoint, cancellationToken).ConfigureAwait(false);
        _socket = socket;
        // Reads through one buffer: a burst of commands costs the device one socket read.
        return new ReadAheadStream(new NetworkStream(socket, ownsSocket: true));
    }

    /// <summary>Resets the connection at once: linger 0 makes the close send RST, no MQTT DISCONNECT.</summary>
    public void Kill()
    {
        var s = Interlocked.Exchange(ref _socket, null);
        if (s is null) return;
        try
        {
            s.LingerState = new LingerOption(true, 0);
            s.Close();
        }
        catch (ObjectDisposedException)
        {
        }
        catch (SocketException)
        {
        }
    }
}
