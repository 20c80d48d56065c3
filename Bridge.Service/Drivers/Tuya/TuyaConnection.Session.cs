using System.Net.Sockets;
using System.Threading.Channels;
using Bridge.Protocols.Tuya;
using Bridge.Runtime.Tuya;

namespace Bridge.Service.Drivers.Tuya;

/// <summary>The connection's life: dial, handshake, first query, then heartbeats and reports until
/// it breaks; back off and dial again, except after a rejected key.</summary>
public sealed partial class TuyaConnection
{
    private async Task RunAsync(CancellationToken ct)
    {
        var attempt = 0;
        while (!ct.IsCancellationRequested)
        {
            var why = await SessionAsync(ct).ConfigureAwait(false);
            if (ct.IsCancellationRequested) return;
            lock (_sync)
            {
                Failure = why == TuyaFailure.None ? Failure : why;
                why = Failure;
            }
            _events.Lost(this, why);
            if (why == TuyaFailure.KeyRejected) return;
            attempt = why == TuyaFailure.None ? 0 : attempt + 1;
            var delay = Bridge.Runtime.Backoff.Delay(attempt, _options.ReconnectMin, _options.ReconnectMax, Random.Shared);
            TaskCompletionSource kick;
            lock (_sync) kick = _kick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try
            {
                await Task.WhenAny(kick.Task, Task.Delay(delay, _time, ct)).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One connection from dial to loss; returns why it ended (None: it ran and broke).</summary>
    private async Task<TuyaFailure> SessionAsync(CancellationToken ct)
    {
        var socket = new Socket(System.Net.Sockets.AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            using (var connectTimeout = new CancellationTokenSource(_options.ConnectTimeout, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, connectTimeout.Token))
                await socket.ConnectAsync(EndPoint, linked.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException)
        {
            socket.Dispose();
            // Accepted and reset at once (on loopback before the connect even returns): its one slot is taken.
            return e is SocketException { SocketErrorCode: SocketError.ConnectionReset } ? TuyaFailure.AppHoldsConnection : TuyaFailure.Unreachable;
        }
        var stream = new NetworkStream(socket, ownsSocket: true);
        var codec = new TuyaCodec(Version, _key);
        var inbox = NewInbox();
        // The reader has its own stop: it ends before the goodbye, whatever ended the session.
        using var readStop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var reading = Task.Run(() => ReadLoopAsync(stream, codec, inbox.Writer, readStop.Token), CancellationToken.None);
        Volatile.Write(ref _codec, codec);
        Volatile.Write(ref _stream, stream);
        var heard = false;
        try
        {
            if (Version.NeedsSession())
            {
                var clientNonce = TuyaKeys.NewNonce();
                await WriteAsync(TuyaCommand.SessionKeyStart, clientNonce, ct).ConfigureAwait(false);
                var (response, why) = await ExpectAsync(inbox.Reader, m => m.Command == TuyaCommand.SessionKeyResponse, heard, ct).ConfigureAwait(false);
                if (response is not { } r) return why;
                heard = true;
                if (!TuyaKeys.TryReadHandshakeResponse(_key, clientNonce, r.Payload, out var deviceNonce)) return TuyaFailure.KeyRejected;
                await WriteAsync(TuyaCommand.SessionKeyFinish, TuyaKeys.HandshakeFinish(_key, deviceNonce), ct).ConfigureAwait(false);
                codec.SessionKey = TuyaKeys.SessionKey(Version, _key, clientNonce, deviceNonce);
            }
            await QueryAsync(ct).ConfigureAwait(false);
            TuyaReport? first = null;
            var (answer, failure) = await ExpectAsync(inbox.Reader, m => TryReport(m, out first), heard, ct).ConfigureAwait(false);
            if (answer is null) return failure;
            lock (_sync) Failure = TuyaFailure.None;
            Interlocked.Increment(ref _reports);
            _events.Connected(this, first!);
            return await KeepAsync(inbox.Reader, ct).ConfigureAwait(false);
        }
        catch (CommandFailedException)
        {
            // Writing failed: reset before the device said anything is the app holding it.
            return heard || IsOpen(socket) ? TuyaFailure.None : TuyaFailure.AppHoldsConnection;
        }
        catch (OperationCanceledException)
        {
            return TuyaFailure.None;
        }
        finally
        {
            Volatile.Write(ref _stream, null);
            Volatile.Write(ref _codec, null);
            await readStop.CancelAsync().ConfigureAwait(false);
            await reading.ConfigureAwait(false);
            await GoodbyeAsync(socket).ConfigureAwait(false);
            stream.Dispose();
            Volatile.Read(ref _ackWaiter)?.TrySetCanceled(CancellationToken.None);
        }
    }

    /// <summary>A device takes one client and refuses the next until it has noticed the last one left
    /// (PROTOCOLS.md §10.1): so a connection that ends says goodbye (FIN) and waits, briefly, for the
    /// device to close its end. Only then is it closed, and a new connection (adopting again with a new
    /// key right after a refused one) is not taken for the app holding the device.</summary>
    private async Task GoodbyeAsync(Socket socket)
    {
        var buffer = new byte[256];
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var wait = new CancellationTokenSource(GoodbyeWait, _time);
            while (await socket.ReceiveAsync(buffer, SocketFlags.None, wait.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Reset, already closed, or a device that does not answer: nothing more to wait for.
        }
    }

    private static bool IsOpen(Socket socket)
    {
        try
        {
            return socket.Connected && !(socket.Poll(0, SelectMode.SelectRead) && socket.Available == 0);
        }
        catch (ObjectDisposedException)
        {
            return false;
        }
    }

    /// <summary>Waits for the message <paramref name="wanted"/> accepts. A frame in another key means
    /// the key is wrong; the end before any frame means another client holds the device.</summary>
    private async Task<(TuyaMessage? Message, TuyaFailure Why)> ExpectAsync(ChannelReader<Incoming> inbox, Func<TuyaMessage, bool> wanted, bool heard, CancellationToken ct)
    {
        using var timeout = new CancellationTokenSource(_options.ReplyTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            while (true)
            {
                var item = await inbox.ReadAsync(linked.Token).ConfigureAwait(false);
                if (item.Status == TuyaDecodeStatus.Unauthentic) return (null, TuyaFailure.KeyRejected);
                if (item.Status == TuyaDecodeStatus.Invalid) { _events.Malformed(this, item.Error); continue; }
                if (item.Message is not { } m) return (null, heard ? TuyaFailure.NoAnswer : TuyaFailure.AppHoldsConnection);
                heard = true;
                if (wanted(m)) return (m, TuyaFailure.None);
            }
        }
        catch (ChannelClosedException)
        {
            return (null, heard ? TuyaFailure.NoAnswer : TuyaFailure.AppHoldsConnection);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return (null, TuyaFailure.NoAnswer);
        }
    }

    /// <summary>Connected: heartbeats when quiet, reports and acks as they come, until the link dies.</summary>
    private async Task<TuyaFailure> KeepAsync(ChannelReader<Incoming> inbox, CancellationToken ct)
    {
        var lastHeard = _time.GetTimestamp();
        var deadAfter = _options.HeartbeatInterval * 2 + _options.ReplyTimeout;
        while (!ct.IsCancellationRequested)
        {
            Incoming item;
            using (var quiet = new CancellationTokenSource(_options.HeartbeatInterval, _time))
            using (var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, quiet.Token))
            {
                try
                {
                    item = await inbox.ReadAsync(linked.Token).ConfigureAwait(false);
                }
                catch (ChannelClosedException)
                {
                    return TuyaFailure.None;
                }
                catch (OperationCanceledException) when (quiet.IsCancellationRequested && !ct.IsCancellationRequested)
                {
                    if (_time.GetElapsedTime(lastHeard) > deadAfter) return TuyaFailure.NoAnswer;
                    await WriteAsync(TuyaCommand.HeartBeat, [], ct).ConfigureAwait(false);
                    continue;
                }
            }
            if (item.Status == TuyaDecodeStatus.Unauthentic) return TuyaFailure.KeyRejected;
            if (item.Status == TuyaDecodeStatus.Invalid) { _events.Malformed(this, item.Error); continue; }
            if (item.Message is not { } m) return TuyaFailure.None;
            lastHeard = _time.GetTimestamp();
            if (m.Command is TuyaCommand.Control or TuyaCommand.ControlNew && (m.Payload.Length == 0 || m.ReturnCode is > 0))
            {
                Volatile.Read(ref _ackWaiter)?.TrySetResult(m);
                if (m.Payload.Length == 0 || m.ReturnCode is > 0) continue;
            }
            if (TryReport(m, out var report))
            {
                Interlocked.Increment(ref _reports);
                _events.Report(this, report!);
            }
        }
        return TuyaFailure.None;
    }

    /// <summary>A message that carries this device's data points. One naming another device is
    /// reported as malformed and dropped.</summary>
    private bool TryReport(TuyaMessage m, out TuyaReport? report)
    {
        report = null;
        if (m.Payload.Length == 0 || m.Command is TuyaCommand.HeartBeat or TuyaCommand.SessionKeyResponse) return false;
        if (!TuyaJson.TryReadReport(m.Payload, out report, out var error))
        {
            if (m.ReturnCode is null or 0) _events.Malformed(this, error);
            return false;
        }
        if (report!.DeviceId is { Length: > 0 } other && other != DevId)
        {
            _events.Malformed(this, $"a report for another device id ({(other.Length > 32 ? other[..32] : other)})");
            report = null;
            return false;
        }
        return report.Dps.Count > 0;
    }

    private async Task ReadLoopAsync(Stream stream, TuyaCodec codec, ChannelWriter<Incoming> inbox, CancellationToken ct)
    {
        var reader = new TuyaFrameReader(stream);
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var bad = new List<Incoming>(1);
                var message = await reader.ReadAsync(codec, fromDevice: true, (status, _, _, error) =>
                {
                    bad.Add(new Incoming(null, status, error));
                    // A frame in another key ends the connection: nothing after it can be read either.
                    return status != TuyaDecodeStatus.Unauthentic;
                }, ct).ConfigureAwait(false);
                // Frames that failed before this one go first, in order.
                foreach (var b in bad) await inbox.WriteAsync(b, ct).ConfigureAwait(false);
                if (message is null) break;
                await inbox.WriteAsync(new Incoming(message, TuyaDecodeStatus.Frame, ""), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            inbox.TryComplete();
        }
    }
}
