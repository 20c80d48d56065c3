using System.Buffers;
using System.Threading.Channels;
using Bridge.Protocols.Improv;
using Bridge.Service.Serial;

namespace Bridge.Service.Provisioning;

/// <summary>The bridge's end of an Improv serial line: a read loop that turns what the port delivers
/// into packets (log lines and noise skipped, PROTOCOLS.md Improv over serial), a bounded queue of
/// them, and writes of whole packets. One line per provisioning run; disposing closes the port.</summary>
public sealed class ImprovLine : IAsyncDisposable
{
    private readonly Stream _port;
    private readonly ImprovStreamDecoder _decoder = new();
    private readonly Channel<ImprovPacket> _packets = Channel.CreateBounded<ImprovPacket>(
        new BoundedChannelOptions(256) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true, SingleWriter = true });
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly Task _reading;

    private ImprovLine(Stream port)
    {
        _port = port;
        _reading = Task.Run(ReadLoopAsync);
    }

    /// <summary>Opens the port at 8N1; throws <see cref="ProvisionFailedException"/> when it cannot.</summary>
    public static ImprovLine Open(ISerialPortOpener opener, string path, int baud)
    {
        try
        {
            return new ImprovLine(opener.Open(new SerialPortOptions { Path = path, Baud = baud, Parity = "none", StopBits = 1 }));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
        {
            throw new ProvisionFailedException($"cannot open the serial port {path}: {e.Message}. Nothing was sent to a device");
        }
    }

    /// <summary>Bytes that were not Improv (log lines, boot noise): tells "a device is there but
    /// does not speak Improv" from "nothing is there".</summary>
    public long OtherBytes => Interlocked.Read(ref _otherBytes);
    private long _otherBytes;

    /// <summary>True once the port has closed under us (the device was unplugged).</summary>
    public bool Closed => _reading.IsCompleted;

    public async Task SendAsync(Action<IBufferWriter<byte>> write, CancellationToken ct)
    {
        var buffer = new ArrayBufferWriter<byte>(ImprovLimits.MaxPacket);
        write(buffer);
        await _writing.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await _port.WriteAsync(buffer.WrittenMemory, ct).ConfigureAwait(false);
            await _port.FlushAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ObjectDisposedException)
        {
            throw new ProvisionFailedException($"the serial port stopped working while sending ({e.Message}); was the device unplugged?");
        }
        finally
        {
            buffer.Clear(); // what was written may hold the Wi-Fi password
            _writing.Release();
        }
    }

    /// <summary>The next packet from the device; null when <paramref name="ct"/> ends the wait.</summary>
    public async Task<ImprovPacket?> NextAsync(CancellationToken ct)
    {
        try
        {
            return await _packets.Reader.ReadAsync(ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
        catch (ChannelClosedException)
        {
            throw new ProvisionFailedException("the serial port closed (was the device unplugged?)");
        }
    }

    private async Task ReadLoopAsync()
    {
        var buffer = new byte[512];
        var packets = new List<ImprovPacket>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = await _port.ReadAsync(buffer, _stop.Token).ConfigureAwait(false);
                if (n <= 0) break;
                packets.Clear();
                _decoder.Feed(buffer.AsSpan(0, n), packets);
                Interlocked.Exchange(ref _otherBytes, _decoder.SkippedBytes);
                foreach (var p in packets) _packets.Writer.TryWrite(p);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException or InvalidOperationException)
        {
        }
        _packets.Writer.TryComplete();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        await _port.DisposeAsync().ConfigureAwait(false);
        await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(2))).ConfigureAwait(false);
        _writing.Dispose();
    }
}
