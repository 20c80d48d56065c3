using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Bridge.Simulator.LoadGen;

/// <summary>
/// One simulated mini-program user: a WebSocket to the bridge with a few in-flight slots.
/// Sends are serialised by a lock; one receive loop matches replies to slots by id and ignores
/// frames without an id of ours (events).
/// </summary>
internal sealed class LoadGenConnection : IAsyncDisposable
{
    private const int MaxFrameBytes = 16 * 1024 * 1024;

    private readonly ClientWebSocket _socket;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private PendingCommand[] _slots = [];
    private byte[] _receiveBuffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private Task? _receiveLoop;
    private volatile bool _closed;

    private LoadGenConnection(int index, ClientWebSocket socket)
    {
        Index = index;
        _socket = socket;
    }

    public int Index { get; }

    public int SlotCount => _slots.Length;

    public bool IsClosed => _closed;

    public static async Task<LoadGenConnection> ConnectAsync(
        int index, Uri url, string token, TimeSpan timeout, CancellationToken ct)
    {
        var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Authorization", "Bearer " + token);
        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await socket.ConnectAsync(url, timeoutCts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            socket.Dispose();
            throw new TimeoutException($"connecting to {url} took longer than {timeout.TotalSeconds:0.#} s");
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new LoadGenConnection(index, socket);
    }

    /// <summary>
    /// Sends one request and returns a copy of the reply with id <paramref name="id"/>, skipping other
    /// frames. Only before <see cref="StartReceiving"/>.
    /// </summary>
    public async Task<byte[]> RequestAsync(ReadOnlyMemory<byte> request, string id, TimeSpan timeout, CancellationToken ct)
    {
        if (_receiveLoop is not null)
        {
            throw new InvalidOperationException("RequestAsync is only for before the receive loop starts");
        }

        using var timeoutCts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeoutCts.CancelAfter(timeout);
        try
        {
            await _socket.SendAsync(request, WebSocketMessageType.Text, true, timeoutCts.Token).ConfigureAwait(false);
            byte[] idUtf8 = System.Text.Encoding.UTF8.GetBytes(id);
            while (true)
            {
                (int length, WebSocketMessageType type) = await ReceiveFrameAsync(timeoutCts.Token).ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    throw new WebSocketException(
                        $"the bridge closed the connection ({_socket.CloseStatus} {_socket.CloseStatusDescription})");
                }

                ReadOnlySpan<byte> frame = _receiveBuffer.AsSpan(0, length);
                if (type == WebSocketMessageType.Text
                    && ReplyParser.TryParse(frame, out ReplyFields fields)
                    && frame.Slice(fields.IdStart, fields.IdLength).SequenceEqual(idUtf8))
                {
                    return frame.ToArray();
                }
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"no reply to '{id}' within {timeout.TotalSeconds:0.#} s");
        }
    }

    /// <summary>Creates the in-flight slots (before <see cref="StartReceiving"/>) and starts matching replies.</summary>
    public void StartReceiving(int slotCount)
    {
        if (_receiveLoop is not null)
        {
            throw new InvalidOperationException("already receiving");
        }

        var slots = new PendingCommand[slotCount];
        for (int i = 0; i < slotCount; i++)
        {
            slots[i] = new PendingCommand(i);
        }

        _slots = slots;
        _receiveLoop = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Sends a power set from slot <paramref name="slot"/> and waits for its reply (or failure).</summary>
    public ValueTask<CommandReply> SendSetAsync(int slot, JsonEncodedText device, bool powerOn, CancellationToken ct) =>
        SendBuiltAsync(_slots[slot], _slots[slot].BuildSet(device, powerOn), ct);

    /// <summary>Sends a ping from slot <paramref name="slot"/> and waits for its reply (or failure).</summary>
    public ValueTask<CommandReply> SendPingAsync(int slot, CancellationToken ct) =>
        SendBuiltAsync(_slots[slot], _slots[slot].BuildPing(), ct);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<CommandReply> SendBuiltAsync(PendingCommand pending, long sequence, CancellationToken ct)
    {
        ValueTask<CommandReply> reply = pending.Arm(sequence);
        string? failure = null;
        if (_closed)
        {
            failure = ErrorTally.NotSent;
        }
        else
        {
            bool locked = false;
            try
            {
                await _sendLock.WaitAsync(ct).ConfigureAwait(false);
                locked = true;
                if (_closed)
                {
                    failure = ErrorTally.NotSent;
                }
                else
                {
                    pending.MarkSent();
                    await _socket.SendAsync(pending.Request, WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                failure = ErrorTally.Cancelled;
            }
            catch (Exception)
            {
                failure = ErrorTally.ConnectionClosed;
                _closed = true;
            }
            finally
            {
                if (locked)
                {
                    _sendLock.Release();
                }
            }
        }

        if (failure is not null)
        {
            pending.TryComplete(sequence, false, failure, Stopwatch.GetTimestamp());
        }

        return await reply.ConfigureAwait(false);
    }

    /// <summary>Fails every command that has waited longer than <paramref name="timeoutTicks"/>.</summary>
    public void ExpireOverdue(long now, long timeoutTicks)
    {
        foreach (PendingCommand pending in _slots)
        {
            long sequence = pending.ArmedSequence;
            if (sequence != 0 && now - pending.SentTimestamp > timeoutTicks)
            {
                pending.TryComplete(sequence, false, ErrorTally.LoadGenTimeout, now);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _closed = true;
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await _sendLock.WaitAsync(cts.Token).ConfigureAwait(false);
                try
                {
                    await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "done", cts.Token).ConfigureAwait(false);
                }
                finally
                {
                    _sendLock.Release();
                }
            }

            if (_receiveLoop is not null)
            {
                await _receiveLoop.WaitAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
            }
        }
        catch (Exception)
        {
            // Closing is best effort; the socket is aborted below.
        }

        _socket.Abort();
        _socket.Dispose();
        FailAll(ErrorTally.ConnectionClosed);
        foreach (PendingCommand pending in _slots)
        {
            pending.Dispose();
        }

        byte[] buffer = _receiveBuffer;
        _receiveBuffer = [];
        if (buffer.Length > 0 && (_receiveLoop is null || _receiveLoop.IsCompleted))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task ReceiveLoopAsync()
    {
        try
        {
            while (true)
            {
                (int length, WebSocketMessageType type) = await ReceiveFrameAsync(CancellationToken.None).ConfigureAwait(false);
                if (type == WebSocketMessageType.Close)
                {
                    return;
                }

                if (type == WebSocketMessageType.Text)
                {
                    HandleFrame(_receiveBuffer.AsSpan(0, length), Stopwatch.GetTimestamp());
                }
            }
        }
        catch (Exception)
        {
            // Connection lost; every outstanding command fails below.
        }
        finally
        {
            _closed = true;
            FailAll(ErrorTally.ConnectionClosed);
        }
    }

    private void HandleFrame(ReadOnlySpan<byte> frame, long receivedTimestamp)
    {
        if (!ReplyParser.TryParse(frame, out ReplyFields fields)
            || !ReplyParser.TryParseCommandId(frame.Slice(fields.IdStart, fields.IdLength), out int slot, out long sequence)
            || slot >= _slots.Length)
        {
            return;
        }

        string? code = fields.Ok ? null
            : ErrorTally.Intern(fields.HasCode ? frame.Slice(fields.CodeStart, fields.CodeLength) : default);
        _slots[slot].TryComplete(sequence, fields.Ok, code, receivedTimestamp, fields.StatePower);
    }

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    private async ValueTask<(int Length, WebSocketMessageType Type)> ReceiveFrameAsync(CancellationToken ct)
    {
        int length = 0;
        while (true)
        {
            if (length == _receiveBuffer.Length)
            {
                if (length >= MaxFrameBytes)
                {
                    throw new InvalidDataException($"a frame from the bridge exceeded {MaxFrameBytes} bytes");
                }

                byte[] bigger = ArrayPool<byte>.Shared.Rent(length * 2);
                _receiveBuffer.AsSpan(0, length).CopyTo(bigger);
                ArrayPool<byte>.Shared.Return(_receiveBuffer);
                _receiveBuffer = bigger;
            }

            ValueWebSocketReceiveResult result =
                await _socket.ReceiveAsync(_receiveBuffer.AsMemory(length), ct).ConfigureAwait(false);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (0, WebSocketMessageType.Close);
            }

            length += result.Count;
            if (result.EndOfMessage)
            {
                return (length, result.MessageType);
            }
        }
    }

    private void FailAll(string code)
    {
        long now = Stopwatch.GetTimestamp();
        foreach (PendingCommand pending in _slots)
        {
            pending.TryComplete(pending.ArmedSequence, false, code, now);
        }
    }
}
