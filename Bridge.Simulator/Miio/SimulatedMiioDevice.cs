using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Bridge.Protocols.Miio;

namespace Bridge.Simulator.Miio;

/// <summary>A Xiaomi miIO/MIoT device on a real loopback UDP socket (PROTOCOLS.md §10.2): answers the
/// hello with its id and stamp (its token in the checksum field only while <see cref="Unprovisioned"/>),
/// takes requests encrypted with its token and stamped near its own clock, answers <c>miIO.info</c> and
/// MIoT <c>get_properties</c>/<c>set_properties</c> with per-property codes, resends its last reply for a
/// repeated id. Faults: a new token (re-bound in Mi Home; packets in the old one are ignored, or answered
/// in the new one with <see cref="AnswersWrongToken"/>), silence, a change made with the remote, a reboot
/// (its stamp restarts).</summary>
public sealed partial class SimulatedMiioDevice : ILanTwin
{
    /// <summary>Requests stamped further than this from the device's clock are dropped.</summary>
    public static readonly TimeSpan StampWindow = TimeSpan.FromSeconds(120);

    private readonly ConcurrentDictionary<(int, int), SimulatedMiotProperty> _properties = new();
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private Socket? _socket;
    private Task? _loop;
    private byte[] _token;
    private long _bootAt;
    private uint _uptimeAtBoot;
    private volatile bool _down;
    private (long Id, byte[] Reply)? _last;
    private int _requests;
    private int _hellos;
    private int _ignored;

    public SimulatedMiioDevice(uint did, string model, string token, string name, IEnumerable<SimulatedMiotProperty> properties, TimeProvider? time = null)
    {
        Did = did;
        Model = model;
        Name = name;
        _token = MiioPacketCodec.TryParseToken(token, out var error) ?? throw new ArgumentException(error, nameof(token));
        foreach (var p in properties) _properties[(p.Siid, p.Piid)] = p;
        _time = time ?? TimeProvider.System;
        _bootAt = _time.GetTimestamp();
        // Devices have been up a while when first met: the stamp is not small.
        _uptimeAtBoot = (uint)Random.Shared.Next(10_000, 5_000_000);
    }

    public uint Did { get; }
    public string DeviceId => "miio-" + Did;
    public string Model { get; }
    public string Name { get; }
    public bool StartOffline { get; init; }
    public IPAddress Address { get; private set; } = IPAddress.Loopback;
    /// <summary>The UDP port (54321 on real devices; a free one for the demo).</summary>
    public int Port { get; private set; }
    public IPEndPoint? UnicastSearchEndPoint => _socket is null ? null : new IPEndPoint(Address, Port);

    /// <summary>Hung: answers nothing, not even the hello.</summary>
    public bool Silent { get; set; }
    /// <summary>Answers a packet in another token with an error in its own (some firmware) instead of ignoring it.</summary>
    public bool AnswersWrongToken { get; set; }
    /// <summary>Not yet bound to an account: the hello answer carries the token in its checksum field.</summary>
    public bool Unprovisioned { get; set; }

    /// <summary>Encrypted requests taken in (in its token, within the stamp window).</summary>
    public int Requests => Volatile.Read(ref _requests);
    public int Hellos => Volatile.Read(ref _hellos);
    /// <summary>Packets dropped: another token, or a stamp outside the window.</summary>
    public int Ignored => Volatile.Read(ref _ignored);

    /// <summary>Raised with the method of every request it answered.</summary>
    public event Action<string>? Handled;

    /// <summary>The device's clock: seconds since it booted, plus its uptime when first met.</summary>
    public uint Stamp => unchecked(_uptimeAtBoot + (uint)_time.GetElapsedTime(Volatile.Read(ref _bootAt)).TotalSeconds);

    public JsonElement Value(int siid, int piid) => _properties[(siid, piid)].Value;

    public Task StartAsync(bool multicast) => StartAsync(IPAddress.Loopback, 0);

    public Task StartAsync(IPAddress address, int port = 0)
    {
        if (StartOffline) return Task.CompletedTask;
        Address = address;
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(address, port));
        Port = ((IPEndPoint)socket.LocalEndPoint!).Port;
        _socket = socket;
        _loop = Task.Run(() => ReceiveLoopAsync(socket, _stop.Token));
        return Task.CompletedTask;
    }

    /// <summary>Re-bound in Mi Home: it has a new token now.</summary>
    public void RePair(string newToken)
    {
        var token = MiioPacketCodec.TryParseToken(newToken, out var error) ?? throw new ArgumentException(error, nameof(newToken));
        lock (_gate)
        {
            _token = token;
            _last = null;
        }
    }

    /// <summary>Someone used the remote or the Mi Home app; LAN clients see it at their next poll.</summary>
    public void Change<T>(int siid, int piid, T value) => _properties[(siid, piid)].Value = JsonSerializer.SerializeToElement(value);

    /// <summary>Power-cycles: answers nothing for <paramref name="down"/>, then is back with its stamp restarted.</summary>
    public async Task RebootAsync(TimeSpan down)
    {
        _down = true;
        await Task.Delay(down, _time).ConfigureAwait(false);
        lock (_gate)
        {
            _last = null;
            _uptimeAtBoot = 1;
            Volatile.Write(ref _bootAt, _time.GetTimestamp());
        }
        _down = false;
    }

    private async Task ReceiveLoopAsync(Socket socket, CancellationToken ct)
    {
        var buffer = new byte[MiioPacketCodec.MaxDatagramBytes + 1];
        while (!ct.IsCancellationRequested)
        {
            SocketReceiveFromResult r;
            try
            {
                r = await socket.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            if (Silent || _down) continue;
            byte[]? answer;
            try
            {
                answer = Answer(buffer.AsSpan(0, r.ReceivedBytes));
            }
            catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException)
            {
                answer = null; // a real device ignores what it cannot read
            }
            if (answer is null) continue;
            try
            {
                await socket.SendToAsync(answer, SocketFlags.None, r.RemoteEndPoint, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or ObjectDisposedException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _socket?.Dispose();
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }
}
