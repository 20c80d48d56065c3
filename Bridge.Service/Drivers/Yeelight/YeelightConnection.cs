using System.Buffers;
using System.Collections.Concurrent;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Bridge.Protocols.Yeelight;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>What a bulb's connection reports to whoever keeps its device.</summary>
public interface IYeelightConnectionEvents
{
    /// <summary>Connected and answering: <paramref name="state"/> is the bulb's answer to get_prop
    /// for <see cref="YeelightConnection.StateProps"/> (a result, or an error such as its quota).</summary>
    void Connected(YeelightConnection connection, YeelightMessage state);

    /// <summary>Lost, or could not connect, or connected to something that did not answer as a bulb.</summary>
    void Disconnected(YeelightConnection connection);
    void Props(YeelightConnection connection, IReadOnlyList<KeyValuePair<string, string>> props);
    void Malformed(YeelightConnection connection, string problem);
}

/// <summary>The one TCP connection to one bulb: connects (and reconnects with back-off), proves the
/// peer is a bulb by a get_prop answer, reads its lines, matches results to calls by id and passes
/// <c>props</c> on. Only this class touches the socket.</summary>
public sealed class YeelightConnection : IAsyncDisposable
{
    private readonly IYeelightConnectionEvents _events;
    private readonly YeelightOptions _options;
    private readonly TimeProvider _time;
    private readonly ConcurrentDictionary<long, TaskCompletionSource<YeelightMessage>> _waiting = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _sync = new();
    private Task? _loop;
    private IPEndPoint _endPoint;
    private NetworkStream? _stream;
    private TaskCompletionSource _kick = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _nextId;

    public YeelightConnection(string deviceId, IPEndPoint endPoint, IReadOnlyList<string> stateProps, IYeelightConnectionEvents events,
        YeelightOptions options, TimeProvider time)
    {
        DeviceId = deviceId;
        StateProps = stateProps;
        _endPoint = endPoint;
        _events = events;
        _options = options;
        _time = time;
    }

    public string DeviceId { get; }
    /// <summary>The properties read with get_prop on each connect.</summary>
    public IReadOnlyList<string> StateProps { get; }
    public IPEndPoint EndPoint { get { lock (_sync) return _endPoint; } }
    public bool IsConnected => Volatile.Read(ref _stream) is not null;

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>The bulb announced itself at <paramref name="endPoint"/>; returns the address this
    /// connection uses from now on. The same address: when not connected, dial at once instead of
    /// waiting out the back-off. Another address: move there (dropping a connection to the old one)
    /// only once it accepts a connection. An answer to a search sent before a bulb moved can arrive
    /// after its advert from the new address, and must not pull the bulb back to where nothing
    /// answers any more.</summary>
    public async Task<IPEndPoint> SeenAsync(IPEndPoint endPoint)
    {
        IPEndPoint current;
        lock (_sync)
        {
            current = _endPoint;
            if (current.Equals(endPoint))
            {
                _kick.TrySetResult();
                return current;
            }
        }
        if (!await AcceptsAsync(endPoint).ConfigureAwait(false)) return EndPoint;
        NetworkStream? stale;
        lock (_sync)
        {
            // Another advert moved it while this one was probing: that one decided.
            if (!_endPoint.Equals(current)) return _endPoint;
            _endPoint = endPoint;
            stale = _stream;
            _kick.TrySetResult();
        }
        if (stale is not null)
        {
            // Offline until it answers at the new address, not online there on the old connection's
            // word; reported before the drop, so it cannot land after the reconnect's "connected".
            _events.Disconnected(this);
            stale.Dispose();
        }
        return endPoint;
    }

    private async Task<bool> AcceptsAsync(IPEndPoint endPoint)
    {
        using var probe = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token, timeout.Token);
        try
        {
            await probe.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Sends one command and returns the bulb's answer (a result or an error). Throws
    /// <see cref="CommandFailedException"/> when not connected; cancellation passes through.</summary>
    public async Task<YeelightMessage> CallAsync(string method, YeelightParam[] args, CancellationToken ct)
    {
        var stream = Volatile.Read(ref _stream) ?? throw new CommandFailedException(CommandFailure.Offline(DeviceId));
        var id = Interlocked.Increment(ref _nextId);
        var waiter = new TaskCompletionSource<YeelightMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        _waiting[id] = waiter;
        try
        {
            var line = new ArrayBufferWriter<byte>(96);
            YeelightCommand.WriteRequest(line, id, method, args);
            await _writeGate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                await stream.WriteAsync(line.WrittenMemory, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
            {
                throw new CommandFailedException(CommandFailure.Offline(DeviceId));
            }
            finally
            {
                _writeGate.Release();
            }
            return await waiter.Task.WaitAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _waiting.TryRemove(id, out _);
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        var attempt = 0;
        while (!ct.IsCancellationRequested)
        {
            var endPoint = EndPoint;
            var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            // A bulb switched off at the wall sends no FIN: keep-alive notices within ~25 s.
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 10);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
            var connected = false;
            try
            {
                using (var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
                using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, connectTimeout.Token))
                    await socket.ConnectAsync(endPoint, linked.Token).ConfigureAwait(false);
                connected = true;
                // A quick redial after a bulb's connection ends; backing off only while nothing answers as a bulb.
                if (await ServeAsync(new NetworkStream(socket, ownsSocket: true), ct).ConfigureAwait(false)) attempt = 0;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                socket.Dispose();
                return;
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                socket.Dispose();
            }
            if (!connected) _events.Disconnected(this);
            TaskCompletionSource kick;
            lock (_sync)
            {
                // Moved (a probe found it elsewhere) while this attempt ran: the kick for that went
                // to the attempt's signal, so dial the new address now instead of backing off.
                if (!_endPoint.Equals(endPoint))
                {
                    attempt = 0;
                    continue;
                }
                kick = _kick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            var delay = Bridge.Runtime.Backoff.Delay(attempt++, _options.ReconnectMin, _options.ReconnectMax, Random.Shared);
            try
            {
                await Task.WhenAny(kick.Task, Task.Delay(delay, _time, ct)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>Serves one connection until it ends; true when the peer answered as a bulb.</summary>
    private async Task<bool> ServeAsync(NetworkStream stream, CancellationToken ct)
    {
        var answered = false;
        lock (_sync) Volatile.Write(ref _stream, stream);
        try
        {
            var reading = ReadLinesAsync(stream, ct);
            // Online only once the peer answers as a bulb: a port now used by something else, or a
            // bulb that accepts but never answers, is not a bulb to control.
            if (await HelloAsync(ct).ConfigureAwait(false) is { } state)
            {
                answered = true;
                _events.Connected(this, state);
            }
            else stream.Dispose();
            await reading.ConfigureAwait(false);
            return answered;
        }
        finally
        {
            lock (_sync) Volatile.Write(ref _stream, null);
            await stream.DisposeAsync().ConfigureAwait(false);
            foreach (var (id, waiter) in _waiting)
                if (_waiting.TryRemove(id, out _)) waiter.TrySetException(new CommandFailedException(CommandFailure.Offline(DeviceId)));
            _events.Disconnected(this);
        }
    }

    private async Task<YeelightMessage?> HelloAsync(CancellationToken ct)
    {
        try
        {
            using var timeout = new CancellationTokenSource(_options.ConnectTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            return await CallAsync(YeelightMethods.GetProp, StateProps.Select(p => (YeelightParam)p).ToArray(), linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null;
        }
        catch (CommandFailedException)
        {
            return null;
        }
    }

    private async Task ReadLinesAsync(NetworkStream stream, CancellationToken ct)
    {
        var reader = PipeReader.Create(stream);
        var skipping = false;
        try
        {
            while (true)
            {
                var read = await reader.ReadAsync(ct).ConfigureAwait(false);
                var buffer = read.Buffer;
                while (true)
                {
                    var r = YeelightLines.TryTake(ref buffer, ref skipping, out var line);
                    if (r == LineRead.NeedMore) break;
                    if (r == LineRead.Dropped) _events.Malformed(this, $"a line over {YeelightConstants.MaxLineBytes} bytes");
                    else Dispatch(line);
                }
                reader.AdvanceTo(buffer.Start, buffer.End);
                if (read.IsCompleted) break;
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private void Dispatch(ReadOnlySequence<byte> line)
    {
        if (line.IsEmpty) return;
        if (!YeelightMessage.TryParse(line.IsSingleSegment ? line.FirstSpan : line.ToArray(), out var message, out var error))
        {
            _events.Malformed(this, error);
            return;
        }
        if (message!.Kind == YeelightMessageKind.Props) _events.Props(this, message.Props);
        else if (_waiting.TryRemove(message.Id, out var waiter)) waiter.TrySetResult(message);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Volatile.Read(ref _stream)?.Dispose();
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }
}
