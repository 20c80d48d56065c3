using System.Collections.Concurrent;
using System.Threading.Channels;
using Bridge.Protocols.Modbus;
using Bridge.Service.Devices;
using Bridge.Service.Serial;

namespace Bridge.Service.Drivers.Modbus;

/// <summary>The one owner of a serial port. Commands and polls queue here and run one at a time
/// (commands first), so frames never interleave on the wire. Opens the port, reopens it with
/// back-off when it disappears, and keeps its devices' availability: offline once when the line
/// is lost or a slave stops answering, online again at the first answer.</summary>
public sealed class SerialLine(
    SerialPortOptions options,
    SerialOptions common,
    IReadOnlyList<SerialDevice> devices,
    ISerialPortOpener opener,
    ModbusPoller poller,
    DeviceRegistry registry,
    TimeProvider time,
    ILogger log)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly ConcurrentQueue<LineJob> _commands = new();
    private readonly ConcurrentQueue<LineJob> _polls = new();
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ModbusRtuTiming _timing = new(options.Baud, !string.Equals(options.Parity, "none", StringComparison.OrdinalIgnoreCase), options.StopBits);
    private volatile bool _open;

    public string Path => options.Path;
    public IReadOnlyList<SerialDevice> Devices => devices;
    public ModbusRtuTiming Timing => _timing;

    /// <summary>Runs <paramref name="work"/> with the line to itself, ahead of any queued poll.</summary>
    public Task RunCommandAsync(Func<ModbusMaster, CancellationToken, Task> work, CancellationToken ct)
    {
        if (!_open) return Task.FromException(new SerialLineLostException($"serial port {Path} is not open"));
        var job = new LineJob(work, ct);
        _commands.Enqueue(job);
        _wake.Writer.TryWrite(true);
        return job.Completion;
    }

    public async Task RunAsync(CancellationToken stopping)
    {
        var polling = devices.Select(d => PollLoopAsync(d, stopping)).ToArray();
        var attempt = 0;
        var down = false;
        while (!stopping.IsCancellationRequested)
        {
            Stream stream;
            try
            {
                stream = opener.Open(options);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or InvalidOperationException)
            {
                if (!down) log.LogWarning("Serial port {Port} is unavailable ({Reason}); retrying with back-off", Path, e.Message);
                down = true;
                LineDown(e);
                try { await Task.Delay(Bridge.Runtime.Backoff.Ceiling(attempt++, FirstBackoff, MaxBackoff), time, stopping).ConfigureAwait(false); }
                catch (OperationCanceledException) { break; }
                continue;
            }
            attempt = 0;
            down = false;
            log.LogInformation("Serial port {Port} open at {Baud} baud, {Bits} bits per character", Path, options.Baud, _timing.BitsPerChar);
            var master = new ModbusMaster(stream, _timing, common.ReplyTimeout, common.Retries, time,
                new LineNoiseLog(Path, time, log));
            _open = true;
            // Ask every device at once, so those on a returning line come back without waiting a poll period.
            foreach (var d in devices) EnqueuePoll(d);
            try
            {
                await WorkAsync(master, stopping).ConfigureAwait(false);
            }
            catch (SerialLineLostException e)
            {
                log.LogWarning("Serial port {Port} was lost ({Reason}); its devices are offline until it returns", Path, e.Message);
                down = true;
                LineDown(e);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
            }
            finally
            {
                _open = false;
                await master.DisposeAsync().ConfigureAwait(false);
            }
        }
        LineDown(new SerialLineLostException("the bridge is stopping"));
        try { await Task.WhenAll(polling).ConfigureAwait(false); }
        catch (OperationCanceledException) { }
    }

    private async Task WorkAsync(ModbusMaster master, CancellationToken stopping)
    {
        while (true)
        {
            stopping.ThrowIfCancellationRequested();
            if (master.Receiving.IsCompleted) await master.Receiving.ConfigureAwait(false);
            if (_commands.TryDequeue(out var job) || _polls.TryDequeue(out job))
            {
                await job.RunAsync(master, stopping).ConfigureAwait(false);
                continue;
            }
            // WaitToReadAsync does not take the signal, so an abandoned wait can't swallow a later one.
            await Task.WhenAny(_wake.Reader.WaitToReadAsync(stopping).AsTask(), master.Receiving).ConfigureAwait(false);
            _wake.Reader.TryRead(out _);
        }
    }

    private async Task PollLoopAsync(SerialDevice device, CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(device.PollPeriod, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stopping).ConfigureAwait(false))
                if (_open) EnqueuePoll(device);
        }
        catch (OperationCanceledException)
        {
        }
    }

    private void EnqueuePoll(SerialDevice device)
    {
        if (Interlocked.Exchange(ref device.PollQueued, 1) == 1) return;
        _polls.Enqueue(new LineJob(async (master, ct) =>
        {
            Volatile.Write(ref device.PollQueued, 0);
            await poller.PollAsync(master, device, ct).ConfigureAwait(false);
        }, CancellationToken.None));
        _wake.Writer.TryWrite(true);
    }

    /// <summary>Without the line nothing reaches these devices: offline (logged once by the registry),
    /// and whatever waited in the queue fails now instead of at its timeout.</summary>
    private void LineDown(Exception why)
    {
        _open = false;
        foreach (var d in devices) registry.SetOnline(d.Device, false);
        while (_commands.TryDequeue(out var job)) job.Fail(why as SerialLineLostException ?? new SerialLineLostException(why.Message, why));
        while (_polls.TryDequeue(out _)) { }
        foreach (var d in devices) Volatile.Write(ref d.PollQueued, 0);
    }
}
