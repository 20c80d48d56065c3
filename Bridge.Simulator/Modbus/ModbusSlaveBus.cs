using System.Buffers;
using System.Threading.Channels;
using Bridge.Protocols.Modbus;
using Bridge.Runtime.Timing;

namespace Bridge.Simulator.Modbus;

/// <summary>Simulated slaves sharing one RS-485 line, on a byte stream (a pseudo-terminal's end).
/// Requests are framed by the codec; bytes that frame nothing are dropped after a silence, as a
/// real slave's t3.5 timer would. Requests for an id no slave has go unanswered, as on a real bus.
/// With <see cref="Baud"/> set, replies are paced as if both frames crossed the wire at that rate.</summary>
public sealed class ModbusSlaveBus : IAsyncDisposable
{
    /// <summary>A partial frame older than this is noise (generous against scheduler jitter).</summary>
    private static readonly TimeSpan StaleInput = TimeSpan.FromMilliseconds(50);

    private readonly Stream _stream;
    private readonly TimeProvider _time;
    private readonly Dictionary<byte, ModbusSlave> _slaves;
    private readonly Channel<byte[]> _chunks = Channel.CreateUnbounded<byte[]>();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading, _serving;
    private readonly Random _random = new(42);
    private int _requests;

    public ModbusSlaveBus(Stream stream, IEnumerable<ModbusSlave> slaves, TimeProvider? time = null)
    {
        _stream = stream;
        _time = time ?? TimeProvider.System;
        _slaves = slaves.ToDictionary(s => s.Id);
        // The pty read blocks; a thread of its own keeps it off the thread pool, which a small
        // machine needs for the timers and the bridge.
        _reading = Task.Factory.StartNew(ReadLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        _serving = Task.Run(ServeLoopAsync);
    }

    /// <summary>Opens a pseudo-terminal (or any character device) for the bus's end of the line.</summary>
    public static ModbusSlaveBus OnDevice(string path, IEnumerable<ModbusSlave> slaves, TimeProvider? time = null) =>
        new(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0), slaves, time);

    public ModbusSlaveFaults Faults { get; } = new();

    /// <summary>0: reply at once; otherwise pace replies at this line rate with <see cref="BitsPerChar"/> bits a character.</summary>
    public int Baud { get; set; }

    public int BitsPerChar { get; set; } = 11;

    public IReadOnlyCollection<ModbusSlave> Slaves => _slaves.Values;

    public ModbusSlave this[byte id] => _slaves[id];

    /// <summary>Requests received with a good CRC (answered or not).</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Completes when the line goes away (the other end closed, socat killed).</summary>
    public Task Stopped => _serving;

    private void ReadLoop()
    {
        var buffer = new byte[512];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = _stream.Read(buffer, 0, buffer.Length);
                if (n <= 0) break;
                _chunks.Writer.TryWrite(buffer.AsSpan(0, n).ToArray());
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
        _chunks.Writer.TryComplete();
    }

    private async Task ServeLoopAsync()
    {
        var pending = new ArrayBufferWriter<byte>(1024);
        var reader = _chunks.Reader;
        while (true)
        {
            byte[] chunk;
            try
            {
                if (pending.WrittenCount == 0) chunk = await reader.ReadAsync(_stop.Token).ConfigureAwait(false);
                else
                {
                    using var quiet = new CancellationTokenSource(StaleInput, _time);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(quiet.Token, _stop.Token);
                    try { chunk = await reader.ReadAsync(linked.Token).ConfigureAwait(false); }
                    catch (OperationCanceledException) when (!_stop.IsCancellationRequested)
                    {
                        pending.ResetWrittenCount(); // silence ended a frame that never completed
                        continue;
                    }
                }
            }
            catch (Exception e) when (e is OperationCanceledException or ChannelClosedException)
            {
                return;
            }
            pending.Write(chunk);
            var rest = pending.WrittenMemory;
            while (!rest.IsEmpty)
            {
                var status = ModbusRtuDecoder.TryDecodeRequest(rest.Span, out var request, out var consumed, out _);
                if (status == ModbusDecodeStatus.Incomplete) break;
                rest = rest[consumed..];
                if (status == ModbusDecodeStatus.Frame)
                {
                    Interlocked.Increment(ref _requests);
                    if (!await AnswerAsync(request!).ConfigureAwait(false)) return;
                }
            }
            var left = rest.ToArray();
            pending.ResetWrittenCount();
            pending.Write(left);
        }
    }

    private async Task<bool> AnswerAsync(ModbusRequest request)
    {
        if (!_slaves.TryGetValue(request.Slave, out var slave) || Faults.Silent) return true;
        var response = slave.Handle(request);
        var frame = new ArrayBufferWriter<byte>(ModbusLimits.MaxFrame);
        if (Faults.TakeGarbage()) frame.Write(Garbage());
        var start = frame.WrittenCount;
        ModbusRtuEncoder.WriteResponse(frame, Faults.TakeWrongSlave() ? response with { Slave = (byte)(response.Slave % 247 + 1) } : response);
        var bytes = frame.WrittenSpan.ToArray();
        if (Faults.TakeBadCrc()) bytes[^1] ^= 0x5A;
        if (Faults.TakePartial()) bytes = bytes[..(start + (bytes.Length - start) / 2)];
        var delay = Faults.ReplyDelay;
        if (Baud > 0) delay += TimeSpan.FromSeconds((double)(ModbusRtuEncoder.RequestLength(request) + bytes.Length) * BitsPerChar / Baud);
        try
        {
            await PreciseDelay.WaitAsync(delay, _time, _stop.Token).ConfigureAwait(false);
            await _stream.WriteAsync(bytes, _stop.Token).ConfigureAwait(false);
            await _stream.FlushAsync(_stop.Token).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>Noise that can't be taken for the start of a reply (address 0 is broadcast and 248..255 are
    /// reserved; none ever answers), so the reply behind it is still found on the first try.</summary>
    private byte[] Garbage()
    {
        var bytes = new byte[_random.Next(3, 12)];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)(i % 2 == 0 ? 0 : _random.Next(0xF8, 0x100));
        return bytes;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _stream.DisposeAsync().ConfigureAwait(false);
        try { await _serving.ConfigureAwait(false); } catch (OperationCanceledException) { }
        // The blocking read returns once the stream closes; don't wait for it if the OS keeps it.
        await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
        _stop.Dispose();
    }
}
