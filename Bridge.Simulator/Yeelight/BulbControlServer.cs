using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Yeelight;

namespace Bridge.Simulator.Yeelight;

/// <summary>A bulb's TCP control port: accepts clients, splits what they send into lines and hands
/// each request to the bulb; writes lines to one client or all of them.</summary>
internal sealed class BulbControlServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<BulbClient, YeelightRequest, Task> _handle;
    private readonly ConcurrentDictionary<BulbClient, Task> _clients = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _muted;

    private BulbControlServer(TcpListener listener, Func<BulbClient, YeelightRequest, Task> handle)
    {
        _listener = listener;
        _handle = handle;
        EndPoint = (IPEndPoint)listener.LocalEndpoint;
        _accepting = Task.Run(AcceptLoopAsync);
    }

    public IPEndPoint EndPoint { get; }
    public int ClientCount => _clients.Count;

    public static BulbControlServer Start(IPEndPoint at, Func<BulbClient, YeelightRequest, Task> handle)
    {
        var listener = new TcpListener(at);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        return new BulbControlServer(listener, handle);
    }

    /// <summary>Writes a line to every connected client.</summary>
    public async Task BroadcastAsync(ReadOnlyMemory<byte> line)
    {
        foreach (var client in _clients.Keys) await client.WriteAsync(line).ConfigureAwait(false);
    }

    /// <summary>Closes every client connection (the bulb keeps listening).</summary>
    public void DropClients()
    {
        foreach (var client in _clients.Keys) client.Close();
    }

    /// <summary>The address is gone from the network: no new clients, no answers, but open
    /// connections stay open (nothing sends a FIN), as the bridge sees a bulb that moved.</summary>
    public void Mute()
    {
        _muted = true;
        _listener.Stop();
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            var client = new BulbClient(socket);
            _clients[client] = Task.Run(() => ServeAsync(client));
        }
    }

    private async Task ServeAsync(BulbClient client)
    {
        var reader = PipeReader.Create(client.Stream);
        var skipping = false;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (true)
                {
                    var r = YeelightLines.TryTake(ref buffer, ref skipping, out var line);
                    if (r == LineRead.NeedMore) break;
                    if (r == LineRead.Line && !_muted && YeelightRequest.TryParse(line.ToArray(), out var request, out _))
                        await _handle(client, request!).ConfigureAwait(false);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted) break;
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
            client.Close();
            _clients.TryRemove(client, out _);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Stop();
        DropClients();
        await _accepting.ConfigureAwait(false);
        await Task.WhenAll(_clients.Values).WaitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
    }
}

/// <summary>One connection to a simulated bulb; writes are serialised so lines never interleave.</summary>
internal sealed class BulbClient(Socket socket)
{
    private readonly SemaphoreSlim _writeGate = new(1, 1);

    public NetworkStream Stream { get; } = new(socket, ownsSocket: true);

    public async Task WriteAsync(ReadOnlyMemory<byte> line)
    {
        await _writeGate.WaitAsync().ConfigureAwait(false);
        try
        {
            await Stream.WriteAsync(line).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            _writeGate.Release();
        }
    }

    public void Close() => Stream.Dispose();
}
