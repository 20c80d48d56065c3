using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Protocols.Miio;

namespace Bridge.Service.Drivers.Miio;

/// <summary>Talks to one Xiaomi device over UDP (PROTOCOLS.md §10.2): one request at a time, each
/// encrypted with the device's token and stamped with the device's own clock (the stamp of its last
/// answer plus the time since); a request that gets no answer is sent again with id + 100 after a new
/// hello, up to <see cref="MiioOptions.Retries"/> times. Replies for another device id, for another
/// request, or with a stamp far behind the device's clock (a replay) are dropped. A device that
/// answers hellos but none of the requests, or answers in a token that is not ours, has a new token:
/// that is <see cref="MiioFailure.TokenRejected"/>. Only this class touches the socket.</summary>
public sealed class MiioConnection : IDisposable
{
    private const int HelloAttempts = 3;

    private readonly Socket _socket;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly byte[] _token;
    private readonly byte[] _buffer = new byte[MiioPacketCodec.MaxDatagramBytes + 1];
    private readonly MiioOptions _options;
    private readonly TimeProvider _time;
    private readonly Action<string> _malformed;
    private readonly Lock _sync = new();
    private IPEndPoint _endPoint;
    private volatile bool _synced;
    private uint _stamp;
    private long _stampAt;
    private int _lastId = Random.Shared.Next(1, 9000);
    private long _requests;
    private int _disposed;

    public MiioConnection(string deviceId, uint did, IPEndPoint endPoint, byte[] token, MiioOptions options, TimeProvider time, Action<string> malformed)
    {
        DeviceId = deviceId;
        Did = did;
        _endPoint = endPoint;
        _token = token;
        _options = options;
        _time = time;
        _malformed = malformed;
        _socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        _socket.Bind(new IPEndPoint(IPAddress.Any, 0));
    }

    public string DeviceId { get; }
    /// <summary>The device's own id (the number after <c>miio-</c>).</summary>
    public uint Did { get; }
    public IPEndPoint EndPoint { get { lock (_sync) return _endPoint; } }
    /// <summary>Requests sent (retries included): what a benchmark or a "not retried forever" test counts.</summary>
    public long Requests => Interlocked.Read(ref _requests);

    /// <summary>Heard at another address: talk there, starting with a hello.</summary>
    public void Move(IPEndPoint endPoint)
    {
        lock (_sync)
        {
            if (_endPoint.Equals(endPoint)) return;
            _endPoint = endPoint;
        }
        _synced = false;
    }

    /// <summary>Calls <paramref name="method"/> and returns the device's reply (a result or an error
    /// object). Throws <see cref="MiioCallException"/> when the device does not answer or has another token.</summary>
    public async Task<MiioReply> CallAsync(string method, Action<Utf8JsonWriter> writeParams, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            var hellosAnswered = false;
            var staleDropped = false;
            for (var attempt = 0; attempt <= _options.Retries; attempt++)
            {
                if (!_synced)
                {
                    if (!await HelloAsync(ct).ConfigureAwait(false))
                        throw new MiioCallException(MiioFailure.NoAnswer, $"'{DeviceId}' does not answer at {EndPoint}");
                    hellosAnswered = true;
                }
                var id = NextId(retry: attempt > 0);
                var body = MiioJson.Request(id, method, writeParams);
                var (reply, stale) = await SendAndReceiveAsync(id, body, ct).ConfigureAwait(false);
                if (reply is not null) return reply;
                staleDropped |= stale;
                // No answer: the device may have rebooted (its stamp restarted) or dropped it; hello again.
                _synced = false;
            }
            if (hellosAnswered && !staleDropped)
                throw new MiioCallException(MiioFailure.TokenRejected, $"'{DeviceId}' answers hellos but not requests made with its token");
            throw new MiioCallException(MiioFailure.NoAnswer, $"'{DeviceId}' did not answer {method}");
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Ids run 1..9999 and wrap; a retry jumps by 100 so the device never takes it for a repeat.</summary>
    private long NextId(bool retry)
    {
        var next = _lastId + (retry ? 100 : 1);
        _lastId = next > 9999 ? next % 9999 + 1 : next;
        return _lastId;
    }

    private uint StampNow() => unchecked(_stamp + (uint)_time.GetElapsedTime(_stampAt).TotalSeconds);

    private void TakeStamp(uint stamp)
    {
        _stamp = stamp;
        _stampAt = _time.GetTimestamp();
    }

    private async Task<bool> HelloAsync(CancellationToken ct)
    {
        var hello = MiioPacketCodec.Hello();
        for (var i = 0; i < HelloAttempts; i++)
        {
            var to = EndPoint;
            if (!await SendAsync(hello, to, ct).ConfigureAwait(false)) return false;
            using var timeout = new CancellationTokenSource(_options.ReplyTimeout, _time);
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
            try
            {
                while (true)
                {
                    var (n, from) = await ReceiveAsync(linked.Token).ConfigureAwait(false);
                    if (!from.Equals(to) || n != MiioPacketCodec.HeaderBytes) continue;
                    if (MiioPacketCodec.TryRead(_buffer.AsSpan(0, n), [], out var answer, out _) != MiioDecodeStatus.Hello || answer.DeviceId == uint.MaxValue) continue;
                    if (answer.DeviceId != Did)
                    {
                        _malformed($"a hello answer from another device id ({answer.DeviceId}) at {from}");
                        continue;
                    }
                    TakeStamp(answer.Stamp);
                    _synced = true;
                    return true;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
            }
        }
        return false;
    }

    /// <summary>One request and the wait for its reply. Null when none came in time; <c>stale</c> when an
    /// authentic reply was dropped for its stamp.</summary>
    private async Task<(MiioReply? Reply, bool Stale)> SendAndReceiveAsync(long id, byte[] body, CancellationToken ct)
    {
        var to = EndPoint;
        var packet = new ArrayBufferWriter<byte>(MiioPacketCodec.HeaderBytes + body.Length + 16);
        var expected = StampNow();
        MiioPacketCodec.Write(packet, _token, Did, expected, body);
        Interlocked.Increment(ref _requests);
        if (!await SendAsync(packet.WrittenMemory, to, ct).ConfigureAwait(false)) return (null, false);
        var stale = false;
        using var timeout = new CancellationTokenSource(_options.ReplyTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            while (true)
            {
                var (n, from) = await ReceiveAsync(linked.Token).ConfigureAwait(false);
                if (!from.Address.Equals(to.Address)) continue;
                var verdict = MiioReplyVetting.Vet(_buffer.AsSpan(0, n), _token, Did, id, expected, out var reply, out var stamp, out var problem);
                switch (verdict)
                {
                    case MiioReplyVerdict.Accepted:
                        TakeStamp(stamp);
                        return (reply, false);
                    case MiioReplyVerdict.OtherToken:
                        throw new MiioCallException(MiioFailure.TokenRejected, $"'{DeviceId}' answered in another token");
                    case MiioReplyVerdict.Stale:
                        stale = true;
                        _malformed(problem);
                        break;
                    case MiioReplyVerdict.Malformed:
                        _malformed(problem);
                        break;
                }
            }
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (null, stale);
        }
    }

    private async Task<bool> SendAsync(ReadOnlyMemory<byte> datagram, IPEndPoint to, CancellationToken ct)
    {
        try
        {
            await _socket.SendToAsync(datagram, SocketFlags.None, to, ct).ConfigureAwait(false);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
        catch (ObjectDisposedException)
        {
            throw new OperationCanceledException("the connection was closed");
        }
    }

    private async Task<(int Bytes, IPEndPoint From)> ReceiveAsync(CancellationToken ct)
    {
        while (true)
        {
            try
            {
                var r = await _socket.ReceiveFromAsync(_buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
                return (r.ReceivedBytes, (IPEndPoint)r.RemoteEndPoint);
            }
            catch (SocketException)
            {
                // ICMP port unreachable from an earlier send surfaces here; wait on for a real answer.
                ct.ThrowIfCancellationRequested();
            }
            catch (ObjectDisposedException)
            {
                throw new OperationCanceledException("the connection was closed");
            }
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        _socket.Dispose();
    }
}
