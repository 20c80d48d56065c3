using System.Buffers;
using System.IO.Pipelines;
using Bridge.Protocols.Modbus;
using Bridge.Runtime.Timing;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>The Modbus RTU master on one open line: one transaction at a time (its owner, the
/// <see cref="SerialLine"/>, guarantees that), the t3.5 silence before every request, replies
/// found by the codec in whatever arrives, timeouts and retries. A receive loop copies the
/// stream into a pipe, so a timed-out wait never leaves a read pending on the port.</summary>
public sealed class ModbusMaster : IAsyncDisposable
{
    private readonly Stream _stream;
    private readonly ModbusRtuTiming _timing;
    private readonly TimeSpan _replyTimeout;
    private readonly int _retries;
    private readonly TimeProvider _time;
    private readonly LineNoiseLog _noise;
    private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: 0, useSynchronizationContext: false));
    private readonly CancellationTokenSource _stop = new();
    private readonly ArrayBufferWriter<byte> _frame = new(ModbusLimits.MaxFrame);
    private long _lastActivity;

    public ModbusMaster(Stream stream, ModbusRtuTiming timing, TimeSpan replyTimeout, int retries, TimeProvider time, LineNoiseLog noise)
    {
        _stream = stream;
        _timing = timing;
        _replyTimeout = replyTimeout;
        _retries = retries;
        _time = time;
        _noise = noise;
        Receiving = ReceiveLoopAsync();
    }

    /// <summary>Completes (with an exception) when the line is lost.</summary>
    public Task Receiving { get; }

    public async Task<ModbusResponse> TransactAsync(ModbusRequest request, CancellationToken ct)
    {
        _frame.ResetWrittenCount();
        ModbusRtuEncoder.WriteRequest(_frame, request);
        // The reply may only start once the request is on the wire; budget for both frames.
        var wait = _replyTimeout + _timing.WireTime(_frame.WrittenCount) + _timing.WireTime(ModbusRtuEncoder.ResponseLength(request));
        for (var attempt = 0; ; attempt++)
        {
            await SilenceAsync(ct).ConfigureAwait(false);
            DiscardStale();
            try
            {
                await _stream.WriteAsync(_frame.WrittenMemory, ct).ConfigureAwait(false);
                await _stream.FlushAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException or UnauthorizedAccessException)
            {
                throw new SerialLineLostException("writing failed: " + e.Message, e);
            }
            _lastActivity = _time.GetTimestamp() + (long)(_timing.WireTime(_frame.WrittenCount).TotalSeconds * _time.TimestampFrequency);
            var reply = await ReceiveAsync(request, wait, ct).ConfigureAwait(false);
            if (reply is null)
            {
                if (attempt < _retries) continue;
                throw new ModbusTimeoutException($"slave {request.Slave} did not answer within {wait.TotalMilliseconds:0} ms ({attempt + 1} tries)");
            }
            _noise.Clean();
            if (reply.Exception is { } code)
            {
                if (code is ModbusExceptionCode.ServerDeviceBusy or ModbusExceptionCode.Acknowledge && attempt < _retries) continue;
                throw new ModbusDeviceException(request.Slave, code);
            }
            return reply;
        }
    }

    /// <summary>Waits until the line has been quiet for t3.5 since our last byte out or in.</summary>
    private async Task SilenceAsync(CancellationToken ct)
    {
        var quiet = _time.GetElapsedTime(Volatile.Read(ref _lastActivity));
        var gap = _timing.InterFrameGap;
        if (quiet < gap) await PreciseDelay.WaitAsync(gap - quiet, _time, ct).ConfigureAwait(false);
    }

    /// <summary>Anything that arrived between transactions answers nothing we asked: discard it.</summary>
    private void DiscardStale()
    {
        if (!_pipe.Reader.TryRead(out var result)) return;
        if (result.Buffer.Length > 0) _noise.Garbage((int)result.Buffer.Length, null);
        _pipe.Reader.AdvanceTo(result.Buffer.End);
        if (result.IsCompleted) throw new SerialLineLostException("the line closed");
    }

    /// <summary>The reply to <paramref name="request"/>, or null on timeout; garbage, bad CRCs and
    /// other slaves' frames before it are skipped (the codec slides one byte at a time).</summary>
    private async Task<ModbusResponse?> ReceiveAsync(ModbusRequest request, TimeSpan wait, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(wait, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        var reader = _pipe.Reader;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(linked.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return null;
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException or InvalidOperationException)
            {
                throw new SerialLineLostException("reading failed: " + e.Message, e);
            }
            var buffer = result.Buffer;
            while (true)
            {
                var status = ModbusRtuDecoder.TryDecodeResponse(buffer, out var reply, out var consumed, out var problem);
                if (status == ModbusDecodeStatus.Incomplete) break;
                buffer = buffer.Slice(consumed);
                if (status == ModbusDecodeStatus.Invalid)
                {
                    _noise.Garbage(consumed, problem);
                    continue;
                }
                if (reply!.Answers(request))
                {
                    reader.AdvanceTo(buffer.Start);
                    return reply;
                }
                if (reply.Slave != request.Slave) _noise.WrongSlave();
                else _noise.Unexpected();
            }
            reader.AdvanceTo(buffer.Start, buffer.End);
            if (result.IsCompleted) throw new SerialLineLostException("the line closed");
        }
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var writer = _pipe.Writer;
        try
        {
            while (true)
            {
                var memory = writer.GetMemory(512);
                var n = await _stream.ReadAsync(memory, _stop.Token).ConfigureAwait(false);
                if (n == 0) throw new SerialLineLostException("end of stream");
                writer.Advance(n);
                Volatile.Write(ref _lastActivity, _time.GetTimestamp());
                await writer.FlushAsync(_stop.Token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
            await writer.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await writer.CompleteAsync(e).ConfigureAwait(false);
            throw new SerialLineLostException("reading failed: " + e.Message, e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        try { await Receiving.ConfigureAwait(false); }
        catch (Exception) { } // the line is being closed; how the read ended does not matter
        _stop.Dispose();
    }
}
