using System.Buffers;
using System.Text;
using Bridge.Protocols.Improv;

namespace Bridge.Simulator.Improv;

/// <summary>An unprovisioned device on a serial line (one end of a PTY) that speaks Improv Wi-Fi
/// with the quirks of <see cref="Firmware"/>: answers state, info, scan and hostname requests,
/// takes Wi-Fi settings and, when they are right for its <see cref="SimulatedAir"/>, "joins" by
/// running <see cref="Joined"/> (e.g. a simulated Tasmota connecting to the bridge's broker) and
/// reporting the URL it returns. The device's side of the protocol; its RPC handling is in
/// ImprovSerialDevice.Rpc.cs.</summary>
public sealed partial class ImprovSerialDevice : IAsyncDisposable
{
    private readonly Stream _port;
    private readonly SimulatedAir _air;
    private readonly TimeProvider _time;
    private readonly object _writeGate = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reading;
    private ITimer? _logTimer;
    private volatile ImprovState _state = ImprovState.Ready;
    private volatile bool _rebooting;
    private string? _url;
    private int _logLines;

    public ImprovSerialDevice(Stream port, ImprovFirmware firmware, SimulatedAir air, string name, TimeProvider? time = null)
    {
        _port = port;
        _air = air;
        _time = time ?? TimeProvider.System;
        Firmware = firmware;
        Name = name;
        Hostname = name;
        // The PTY read blocks: a thread of its own keeps it off the thread pool.
        _reading = Task.Factory.StartNew(ReadLoop, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (firmware != ImprovFirmware.Tasmota)
            _logTimer = _time.CreateTimer(_ => Log($"[D][sensor:094]: 'Uptime': Sending state {_logLines * 0.25:F2} s"), null,
                TimeSpan.FromMilliseconds(250), TimeSpan.FromMilliseconds(250));
    }

    /// <summary>Opens the device's end of a PTY.</summary>
    public static ImprovSerialDevice OnPty(string path, ImprovFirmware firmware, SimulatedAir air, string name, TimeProvider? time = null) =>
        new(new FileStream(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0), firmware, air, name, time);

    public ImprovFirmware Firmware { get; }
    public string Name { get; }
    public string Hostname { get; private set; }
    public ImprovState State => _state;
    public ImprovDeviceFaults Faults { get; } = new();

    /// <summary>The address it reports once joined, as <c>http://&lt;address&gt;/</c> unless
    /// <see cref="Joined"/> gives another URL.</summary>
    public string Address { get; set; } = "127.0.0.1";

    /// <summary>Runs when the device has joined a network (with that SSID); returns the URL it
    /// then reports, or null for its default one.</summary>
    public Func<string, CancellationToken, Task<string?>>? Joined { get; set; }

    /// <summary>Wi-Fi settings received (also wrong ones), for tests.</summary>
    public int SettingsReceived => Volatile.Read(ref _settingsReceived);
    private int _settingsReceived;

    private void ReadLoop()
    {
        var decoder = new ImprovStreamDecoder();
        var packets = new List<ImprovPacket>();
        var buffer = new byte[512];
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var n = _port.Read(buffer, 0, buffer.Length);
                if (n <= 0) break;
                if (Faults.LogsWithoutImprov)
                {
                    Interlocked.Increment(ref _logLines);
                    Write("[W][uart:015]: ignoring bytes: not in setup mode\r\n"u8);
                    continue;
                }
                if (_rebooting || Faults.Silent) continue; // a restarting or dead device hears nothing
                packets.Clear();
                decoder.Feed(buffer.AsSpan(0, n), packets);
                foreach (var packet in packets) Handle(packet);
            }
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or OperationCanceledException)
        {
        }
    }

    private void SendState(ImprovState state)
    {
        _state = state;
        Send(ImprovPacketType.CurrentState, [(byte)state]);
    }

    private void SendError(ImprovError error) => Send(ImprovPacketType.ErrorState, [(byte)error]);

    private void SendResult(ImprovCommand command, params string[] strings)
    {
        var w = new ArrayBufferWriter<byte>(ImprovLimits.MaxPacket);
        ImprovRpc.WriteResult(w, command, strings, extraZero: Firmware == ImprovFirmware.EspHome);
        Write(w.WrittenSpan);
    }

    private void Send(ImprovPacketType type, byte[] data) => Write(ImprovFrame.ToArray(type, data));

    /// <summary>A log line as the firmware prints it on the same port.</summary>
    private void Log(string line)
    {
        if (_rebooting || Faults.Silent || Firmware == ImprovFirmware.Tasmota) return;
        Interlocked.Increment(ref _logLines);
        Write(Encoding.UTF8.GetBytes(line + "\r\n"));
    }

    private void Write(ReadOnlySpan<byte> bytes)
    {
        lock (_writeGate)
        {
            try
            {
                _port.Write(bytes);
                _port.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The line is gone (socat stopped): a real device's output is lost the same way.
            }
        }
    }

    /// <summary>Restarts: boot noise on the line, deaf for <see cref="ImprovDeviceFaults.RebootTime"/>,
    /// then back with its Improv state kept or lost.</summary>
    private async Task RebootAsync(bool keepState)
    {
        Write("\r\nets Jul 29 2019 12:21:46\r\n\0\xff\xfe rst:0xc (SW_CPU_RESET)\r\n"u8);
        _rebooting = true;
        try
        {
            await Task.Delay(Faults.RebootTime, _time, _stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }
        if (!keepState)
        {
            _state = ImprovState.Ready;
            _url = null;
        }
        _rebooting = false;
        Log("[I][app:029]: Running through setup()...");
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_logTimer is not null) await _logTimer.DisposeAsync().ConfigureAwait(false);
        _logTimer = null;
        await _port.DisposeAsync().ConfigureAwait(false);
        // The blocking read returns once the line goes away (socat stopped); a PTY that stays open
        // may keep it blocked, and a reader that only ever writes to a dead stream harms no one.
        await Task.WhenAny(_reading, Task.Delay(TimeSpan.FromSeconds(1))).ConfigureAwait(false);
    }
}
