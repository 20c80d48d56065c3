using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Bridge.Tests.Infrastructure;

/// <summary>A WebSocket upgrade written by hand on a plain TCP connection, for peers that misbehave
/// below what ClientWebSocket allows (never reading, never answering pings).</summary>
public static class RawUpgrade
{
    /// <summary>Connects, sends the upgrade for <paramref name="path"/> and reads the response head.</summary>
    public static async Task<(TcpClient Tcp, string Head)> OpenAsync(int port, string path, string token, int receiveBufferSize = 0)
    {
        var tcp = new TcpClient();
        if (receiveBufferSize > 0) tcp.ReceiveBufferSize = receiveBufferSize;
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        var stream = tcp.GetStream();
        var key = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
        await stream.WriteAsync(Encoding.ASCII.GetBytes(
            $"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n" +
            $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13\r\nAuthorization: Bearer {token}\r\n\r\n"));
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal) && await stream.ReadAsync(one) == 1) head.Append((char)one[0]);
        return (tcp, head.ToString());
    }

    /// <summary>An HttpClient whose connections come from <paramref name="source"/> (another loopback
    /// address, e.g. 127.0.0.2), to stand for a second host.</summary>
    public static HttpClient ClientFrom(IPAddress source) => new(new SocketsHttpHandler
    {
        ConnectCallback = async (context, ct) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                socket.Bind(new IPEndPoint(source, 0));
                await socket.ConnectAsync(context.DnsEndPoint, ct);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
    });
}
