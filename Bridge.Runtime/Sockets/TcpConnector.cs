using System.Net;
using System.Net.Sockets;

namespace Bridge.Runtime.Sockets;

/// <summary>Opens a TCP connection for a small-message protocol (MQTT): NoDelay, since messages are
/// small and latency-bound; a host name resolved and each of its addresses tried in turn.</summary>
public static class TcpConnector
{
    /// <summary>A connection served by the runtime's socket engine (asynchronous reads and writes).</summary>
    public static Task<Socket> ConnectAsync(EndPoint endPoint, CancellationToken cancellationToken) =>
        ConnectAnyAsync(endPoint, static (socket, to, ct) => socket.ConnectAsync(to, ct).AsTask(), cancellationToken);

    /// <summary>A connection in blocking mode that the socket engine never registers: a read blocks
    /// in the kernel, and data arriving wakes the reading thread itself rather than the engine's
    /// epoll thread, which would then wake the reader (two wake-ups instead of one). Use it only
    /// with synchronous reads and writes (<see cref="ReaderThreadStream"/>): one asynchronous
    /// operation hands the socket to the engine for good.</summary>
    /// <remarks>The blocking connect runs on a pool thread; cancelling closes the socket, which ends
    /// it (the kernel drops a connection attempt whose socket is shut down).</remarks>
    public static Task<Socket> ConnectBlockingAsync(EndPoint endPoint, CancellationToken cancellationToken) =>
        ConnectAnyAsync(endPoint, ConnectBlockingAsync, cancellationToken);

    private static async Task ConnectBlockingAsync(Socket socket, IPEndPoint to, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var closeOnCancel = cancellationToken.Register(static s => ((Socket)s!).Dispose(), socket);
        try
        {
            await Task.Run(() => socket.Connect(to), CancellationToken.None).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException && cancellationToken.IsCancellationRequested)
        {
            throw new OperationCanceledException("the connection attempt was cancelled", e, cancellationToken);
        }
    }

    private static async Task<Socket> ConnectAnyAsync(EndPoint endPoint, Func<Socket, IPEndPoint, CancellationToken, Task> connect,
        CancellationToken cancellationToken)
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
                await connect(socket, new IPEndPoint(address, port), cancellationToken).ConfigureAwait(false);
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
