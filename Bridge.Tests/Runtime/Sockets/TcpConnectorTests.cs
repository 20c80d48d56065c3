using System.Net;
using System.Net.Sockets;
using Bridge.Runtime.Sockets;

namespace Bridge.Tests.Runtime.Sockets;

/// <summary>Connecting the MQTT clients' sockets: by address or host name, NoDelay, a clear error
/// when nothing listens; the blocking kind (the broker link's) as well, and cancellable while the
/// peer does not answer.</summary>
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

    [Fact]
    public async Task A_blocking_connection_finds_the_listening_address_of_a_host_name()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var accepted = listener.AcceptSocketAsync();
        using var socket = await TcpConnector.ConnectBlockingAsync(new DnsEndPoint("localhost", port), CancellationToken.None);
        using var server = await accepted.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.True(socket.NoDelay);
        Assert.True(socket.Blocking);
        socket.Send("hello"u8);
        var got = new byte[5];
        Assert.Equal(5, await server.ReceiveAsync(got));
        Assert.Equal("hello"u8.ToArray(), got);
    }

    [Fact]
    public async Task A_blocking_connect_the_peer_never_answers_ends_when_cancelled()
    {
        // A listener whose accept queue is full drops new SYNs: the kernel would keep retrying for
        // about two minutes. Cancelling (the link's connect timeout) must end it at once.
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(0);
        using var first = await TcpConnector.ConnectBlockingAsync(listener.LocalEndPoint!, CancellationToken.None);
        using var cts = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var started = DateTime.UtcNow;
        var e = await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => TcpConnector.ConnectBlockingAsync(listener.LocalEndPoint!, cts.Token).WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.Equal(cts.Token, e.CancellationToken);
        Assert.InRange(DateTime.UtcNow - started, TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(5));
    }
}
