using System.Net;
using System.Net.Sockets;
using Bridge.Runtime.Sockets;

namespace Bridge.Tests.Runtime.Sockets;

/// <summary>Connecting the MQTT clients' sockets: by address or host name, NoDelay, a clear error
/// when nothing listens.</summary>
public sealed class TcpConnectorTests
{
    [Fact]
    public async Task A_host_name_connects_through_whichever_of_its_addresses_listens()
    {
        // Listens on IPv4 only: "localhost" may resolve to ::1 first, which refuses; the next address works.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptSocketAsync();
        using var socket = await TcpConnector.ConnectAsync(new DnsEndPoint("localhost", port), CancellationToken.None);
        using var server = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(socket.NoDelay);
        await socket.SendAsync("hello"u8.ToArray());
        var got = new byte[5];
        Assert.Equal(5, await server.ReceiveAsync(got));
        Assert.Equal("hello"u8.ToArray(), got);
    }

    [Fact]
    public async Task Nothing_listening_is_a_refused_connection()
    {
        int port;
        using (var probe = new TcpListener(IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((IPEndPoint)probe.LocalEndpoint).Port;
        }
        var e = await Assert.ThrowsAsync<SocketException>(() => TcpConnector.ConnectAsync(new IPEndPoint(IPAddress.Loopback, port), CancellationToken.None));
        Assert.Equal(SocketError.ConnectionRefused, e.SocketErrorCode);
    }
}
