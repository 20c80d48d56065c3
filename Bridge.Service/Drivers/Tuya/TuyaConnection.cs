using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Bridge.Protocols.Tuya;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>What one device's connection reports to whoever keeps its device.</summary>
public interface ITuyaConnectionEvents
{
    void Connected(TuyaConnection connection, TuyaReport state);
    void Report(TuyaConnection connection, TuyaReport report);
    void Lost(TuyaConnection connection, TuyaFailure why);
    void Malformed(TuyaConnection connection, string problem);
}

/// <summary>The one persistent TCP connection to one Tuya device (PROTOCOLS.md §10.1): connects with
/// back-off, runs the 3.4/3.5 session-key handshake, reads the state with a DP query, keeps the link
/// with heartbeats and passes every STATUS push on. A key the device rejects stops it for good (until
/// adopted again); a device whose one client slot is taken is retried gently. Only this class
/// touches the socket.</summary>
public sealed partial class TuyaConnection : IAsyncDisposable
{
    private readonly ITuyaConnectionEvents _events;
    private readonly TuyaOptions _options;
    private readonly TimeProvider _time;
    private readonly byte[] _key;
    /// <summary>How long a closing connection waits for the device to close its end.</summary>
    private static readonly TimeSpan GoodbyeWait = TimeSpan.FromSeconds(1);
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writeGate = new(1, 1);
    private readonly Lock _sync = new();
    private IPEndPoint _endPoint;
    private Task? _loop;
    private Stream? _stream;
    private TuyaCodec? _codec;
    private uint _sequence;
    private TaskCompletionSource<TuyaMessage>? _ackWaiter;
    private TaskCompletionSource _kick = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private long _reports;

    public TuyaConnection(string deviceId, string devId, IPEndPoint endPoint, TuyaVersion version, byte[] localKey,
        ITuyaConnectionEvents events, TuyaOptions options, TimeProvider time)
    {
        DeviceId = deviceId;
        DevId = devId;
        Version = version;
        _endPoint = endPoint;
        _key = localKey;
        _events = events;
        _options = options;
        _time = time;
    }

    public string DeviceId { get; }
    /// <summary>The device's own id (the part after <c>tuya-</c>).</summary>
    public string DevId { get; }
    /// <summary>Pinned from discovery: a wrong version can knock a device offline, so never cycled.</summary>
    public TuyaVersion Version { get; }
    public IPEndPoint EndPoint { get { lock (_sync) return _endPoint; } }
    public bool IsConnected => Volatile.Read(ref _stream) is not null;
    public TuyaFailure Failure { get; private set; }
    /// <summary>Counts reports taken in; the driver compares it to know whether a STATUS came.</summary>
    public long Reports => Interlocked.Read(ref _reports);

    public void Start() => _loop ??= Task.Run(() => RunAsync(_stop.Token));

    /// <summary>Announced again (maybe elsewhere): move, and try at once if waiting to reconnect.</summary>
    public void Seen(IPEndPoint endPoint)
    {
        Stream? stale = null;
        lock (_sync)
        {
            if (!_endPoint.Equals(endPoint))
            {
                _endPoint = endPoint;
                stale = _stream;
            }
            if (Failure != TuyaFailure.KeyRejected) _kick.TrySetResult();
        }
        stale?.Dispose();
    }

    /// <summary>Sends a control and returns once the device acked it (the STATUS push that follows
    /// is the confirmation). Throws <see cref="CommandFailedException"/> when not connected or refused.</summary>
    public async Task SendControlAsync(IEnumerable<KeyValuePair<string, TuyaDpValue>> dps, CancellationToken ct)
    {
        var payload = TuyaJson.Control(Version, DevId, _time.GetUtcNow(), dps);
        var waiter = new TaskCompletionSource<TuyaMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        Volatile.Write(ref _ackWaiter, waiter);
        await WriteAsync(TuyaJson.ControlCommand(Version), payload, ct).ConfigureAwait(false);
        var ack = await waiter.Task.WaitAsync(ct).ConfigureAwait(false);
        if (ack.ReturnCode is null or 0) return;
        // 3.1 devices answer a control made with another key with an error in the clear.
        if (Version == TuyaVersion.V31) Fail(TuyaFailure.KeyRejected);
        throw new CommandFailedException(new(Protocols.Api.ErrorCodes.DeviceOffline,
            Version == TuyaVersion.V31 ? $"device '{DeviceId}' is offline: {TuyaFailures.KeyRejectedMessage}" : $"device '{DeviceId}' refused the command (code {ack.ReturnCode})"));
    }

    /// <summary>Asks for every data point; the answer arrives as a report.</summary>
    public Task QueryAsync(CancellationToken ct) => WriteAsync(TuyaJson.QueryCommand(Version), TuyaJson.Query(Version, DevId, _time.GetUtcNow()), ct);

    private async Task WriteAsync(uint command, byte[] payload, CancellationToken ct)
    {
        var codec = Volatile.Read(ref _codec);
        var stream = Volatile.Read(ref _stream);
        if (codec is null || stream is null) throw new CommandFailedException(CommandFailure.Offline(DeviceId));
        var frame = new ArrayBufferWriter<byte>(payload.Length + 96);
        await _writeGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            codec.Write(frame, ++_sequence, command, payload, fromDevice: false);
            await stream.WriteAsync(frame.WrittenMemory, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            throw new CommandFailedException(CommandFailure.Offline(DeviceId));
        }
        finally
        {
            _writeGate.Release();
        }
    }

    private void Fail(TuyaFailure why)
    {
        Stream? stream;
        lock (_sync)
        {
            Failure = why;
            stream = _stream;
        }
        stream?.Dispose();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        Volatile.Read(ref _stream)?.Dispose();
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }

    /// <summary>One thing the reader saw: a message, a frame that failed, or the end.</summary>
    private readonly record struct Incoming(TuyaMessage? Message, TuyaDecodeStatus Status, string Error);

    private static Channel<Incoming> NewInbox() =>
        Channel.CreateBounded<Incoming>(new BoundedChannelOptions(64) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });
}
