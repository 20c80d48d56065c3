using System.Buffers;
using System.Globalization;
using System.Net;
using Bridge.Protocols.Yeelight;
using Bridge.Runtime.Quotas;

namespace Bridge.Simulator.Yeelight;

/// <summary>A Yeelight colour-temperature bulb on real sockets: answers the search and sends NOTIFY
/// adverts (UDP), takes commands on its TCP control port, sends <c>props</c> notifications to every
/// connected client after each change, keeps the bulbs' command quota, and injects faults.</summary>
public sealed class SimulatedBulb : ILanTwin
{
    /// <summary>The simulated answer when the quota is spent. The real bulbs' wording is not documented
    /// (PROTOCOLS.md §6.2); the bridge only looks for "quota" in it, and keeps within the quota anyway.</summary>
    public const string QuotaMessage = "client quota exceeded";
    private static readonly byte[][] GarbageLines =
    [
        [0x7B, 0x22, 0x69, 0x64, 0x22, 0x3A, 0xFF, 0xFE, 0x00, 0xC3, 0x28, 0x0D, 0x0A],
        "{\"method\":\"props\",\"params\":[\"power\",\"off\"]}\r\n"u8.ToArray(),
        "{\"id\":\"x\",\"result\":\"on\"}\r\n"u8.ToArray(),
        "not json at all\r\n"u8.ToArray(),
    ];

    private readonly Lock _gate = new();
    private readonly TimeProvider _time;
    private readonly MinuteQuota _quota;
    private BulbSearchResponder? _search;
    private BulbControlServer? _control;
    private BulbControlServer? _left;
    private bool _power;
    private int _bright = 50;
    private int _ct = 4000;
    private volatile bool _away;

    public SimulatedBulb(string yeelightId, string name, TimeProvider? time = null, int quotaPerMinute = 60)
    {
        if (!YeelightSearch.TryNormaliseId(yeelightId, out var id)) throw new ArgumentException($"'{yeelightId}' is not a Yeelight id (0x and hex digits)", nameof(yeelightId));
        YeelightId = id;
        Name = name;
        _time = time ?? TimeProvider.System;
        _quota = new MinuteQuota(quotaPerMinute, _time);
        Faults = new DeviceFaults(unchecked((int)ulong.Parse(id[2..], System.Globalization.NumberStyles.HexNumber)));
    }

    public string YeelightId { get; }
    /// <summary>The id the bridge lists it under.</summary>
    public string DeviceId => YeelightIds.DeviceId(YeelightId);
    public string Name { get; }
    public string Model { get; init; } = "color";
    /// <summary>Reply delay, ignored and dropped commands, as for the MQTT devices.</summary>
    public DeviceFaults Faults { get; }

    /// <summary>Every answer is preceded by garbage lines (bad UTF-8, wrong shapes, not JSON).</summary>
    public bool GarbageBeforeReplies { get; set; }
    public IPAddress Address { get; private set; } = IPAddress.Loopback;
    /// <summary>The TCP control port (0 until started).</summary>
    public int ControlPort { get; private set; }
    /// <summary>Where a unicast search reaches this bulb (unicast mode only).</summary>
    public IPEndPoint? UnicastSearchEndPoint => _search is { Multicast: false } s ? new IPEndPoint(Address, s.Port) : null;
    public int ConnectedClients => _control?.ClientCount ?? 0;
    /// <summary>Start the bulb switched off at the wall: <see cref="StartAsync"/> opens nothing until <see cref="ComeBackAsync"/>.</summary>
    public bool StartOffline { get; set; }

    /// <summary>Raised with the method name once a command has been taken in (applied, ignored or refused).</summary>
    public event Action<string>? CommandReceived;

    public void SetState(bool? power = null, int? bright = null, int? ct = null)
    {
        lock (_gate)
        {
            if (power is { } p) _power = p;
            if (bright is { } b) _bright = Math.Clamp(b, 1, 100);
            if (ct is { } c) _ct = Math.Clamp(c, 1700, 6500);
        }
    }

    public IReadOnlyDictionary<string, object> Snapshot()
    {
        lock (_gate) return new Dictionary<string, object> { ["power"] = _power ? "on" : "off", ["brightness"] = _bright, ["color_temp"] = _ct };
    }

    /// <param name="multicast">Answer the multicast search on 1982 (test namespace) or a unicast one on a port of its own.</param>
    /// <param name="address">A loopback address (127.x.y.z) to serve on.</param>
    /// <param name="multicastPort">The search port in multicast mode: 1982, or another to keep tests apart.</param>
    public async Task StartAsync(bool multicast, IPAddress? address = null, int multicastPort = YeelightConstants.SearchPort)
    {
        Address = address ?? IPAddress.Loopback;
        _away = StartOffline;
        _search = BulbSearchResponder.Open(multicast, multicastPort, Address, Advert);
        if (StartOffline) return;
        _control = BulbControlServer.Start(new IPEndPoint(Address, 0), HandleAsync);
        ControlPort = _control.EndPoint.Port;
        await _search.AnnounceAsync().ConfigureAwait(false);
    }

    Task ILanTwin.StartAsync(bool multicast) => StartAsync(multicast);

    /// <summary>A change made elsewhere (the Yeelight app, the wall switch): every client gets props.</summary>
    public Task ChangeAsync(bool? power = null, int? bright = null, int? ct = null) => NotifyPropsAsync(Apply(power, bright, ct));

    /// <summary>Closes every client connection; the bulb stays reachable.</summary>
    public void DropConnections() => _control?.DropClients();

    /// <summary>Switched off at the wall: connections close, the port and the search go quiet.</summary>
    public async Task GoAwayAsync()
    {
        _away = true;
        if (Interlocked.Exchange(ref _control, null) is { } control) await control.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Back on power, on the same port if it is free (another if not), or at a new address
    /// (a new DHCP lease); it announces itself with NOTIFY.</summary>
    public async Task ComeBackAsync(IPAddress? at = null)
    {
        await GoAwayAsync().ConfigureAwait(false);
        var moved = at is not null && !at.Equals(Address);
        if (at is not null) Address = at;
        try
        {
            _control = BulbControlServer.Start(new IPEndPoint(Address, moved ? 0 : ControlPort), HandleAsync);
        }
        catch (System.Net.Sockets.SocketException)
        {
            _control = BulbControlServer.Start(new IPEndPoint(Address, 0), HandleAsync);
        }
        ControlPort = _control.EndPoint.Port;
        _away = false;
        if (_search is not null) await _search.AnnounceAsync().ConfigureAwait(false);
    }

    /// <summary>A new DHCP lease without a goodbye: the bulb serves and announces itself at
    /// <paramref name="at"/> while connections to the old address stay open and silent (no FIN,
    /// no answers), as they do when an address vanishes from the network.</summary>
    public async Task MoveWithoutGoodbyeAsync(IPAddress at)
    {
        var old = Interlocked.Exchange(ref _control, null);
        old?.Mute();
        if (Interlocked.Exchange(ref _left, old) is { } older) await older.DisposeAsync().ConfigureAwait(false);
        Address = at;
        _control = BulbControlServer.Start(new IPEndPoint(at, 0), HandleAsync);
        ControlPort = _control.EndPoint.Port;
        _away = false;
        if (_search is not null) await _search.AnnounceAsync().ConfigureAwait(false);
    }

    /// <summary>Sends a NOTIFY advert now.</summary>
    public Task AnnounceAsync() => _search?.AnnounceAsync() ?? Task.CompletedTask;

    /// <summary>Writes garbage lines to every client.</summary>
    public async Task SendGarbageAsync()
    {
        if (_control is not { } control) return;
        foreach (var line in GarbageLines) await control.BroadcastAsync(line).ConfigureAwait(false);
    }

    private YeelightAdvert? Advert()
    {
        if (_away || ControlPort == 0) return null;
        lock (_gate)
        {
            return new YeelightAdvert
            {
                Id = YeelightId, Host = Address.ToString(), Port = ControlPort, Model = Model, FirmwareVersion = "18", Name = Name,
                Support = ["get_prop", "set_default", "set_power", "toggle", "set_bright", "set_ct_abx", "set_name"],
                Power = _power ? "on" : "off", Bright = Text(_bright), ColorMode = "2", Ct = Text(_ct),
            };
        }
    }

    private async Task HandleAsync(BulbClient client, YeelightRequest request)
    {
        if (Faults.ShouldDrop())
        {
            CommandReceived?.Invoke(request.Method);
            return;
        }
        if (Faults.ReplyDelay > TimeSpan.Zero) await Task.Delay(Faults.ReplyDelay, _time).ConfigureAwait(false);
        if (GarbageBeforeReplies)
            foreach (var line in GarbageLines) await client.WriteAsync(line).ConfigureAwait(false);
        var reply = new ArrayBufferWriter<byte>(128);
        List<KeyValuePair<string, string>>? changed = null;
        if (!_quota.TryTake(1, out _)) YeelightCommand.WriteError(reply, request.Id, -1, QuotaMessage);
        else if (request.Method == YeelightMethods.GetProp) YeelightCommand.WriteResult(reply, request.Id, request.Params.Select(p => Property(p.Text)));
        else if (Parse(request) is { } parsed)
        {
            // The state is the asked one by the time "ok" is sent (a client that reads it after the
            // reply sees it); the props NOTIFY follows the reply, as a real bulb sends them.
            changed = Apply(parsed.Power, parsed.Bright, parsed.Ct);
            YeelightCommand.WriteResult(reply, request.Id, ["ok"]);
        }
        else YeelightCommand.WriteError(reply, request.Id, -1, "invalid params or unsupported method");
        await client.WriteAsync(reply.WrittenMemory).ConfigureAwait(false);
        CommandReceived?.Invoke(request.Method);
        if (changed is not null) await NotifyPropsAsync(changed).ConfigureAwait(false);
    }

    private (bool? Power, int? Bright, int? Ct)? Parse(YeelightRequest r)
    {
        var p = r.Params;
        long First() => p.Count > 0 && !p[0].IsText ? p[0].Number : -1;
        bool EffectOk() => p.Count < 2 || p[1].Text is "smooth" or "sudden";
        switch (r.Method)
        {
            case YeelightMethods.SetPower when p.Count > 0 && p[0].Text is "on" or "off" && EffectOk():
                return (p[0].Text == "on", null, null);
            case YeelightMethods.Toggle:
                lock (_gate) return (!_power, null, null);
            case YeelightMethods.SetBright when First() is >= 1 and <= 100 && EffectOk():
                return (null, (int)First(), null);
            case YeelightMethods.SetCtAbx when First() is >= 1700 and <= 6500 && EffectOk():
                return (null, null, (int)First());
            default:
                return null;
        }
    }

    /// <summary>Applies a change; returns what actually changed.</summary>
    private List<KeyValuePair<string, string>> Apply(bool? power, int? bright, int? ct)
    {
        var changed = new List<KeyValuePair<string, string>>(3);
        lock (_gate)
        {
            if (power is { } p && p != _power) changed.Add(new("power", (_power = p) ? "on" : "off"));
            if (bright is { } b && b != _bright) changed.Add(new("bright", Text(_bright = b)));
            if (ct is { } c && c != _ct) changed.Add(new("ct", Text(_ct = c)));
        }
        return changed;
    }

    /// <summary>Sends props for what changed (a real bulb stays quiet otherwise).</summary>
    private async Task NotifyPropsAsync(List<KeyValuePair<string, string>> changed)
    {
        if (changed.Count == 0 || _control is not { } control) return;
        var line = new ArrayBufferWriter<byte>(96);
        YeelightCommand.WriteProps(line, changed);
        await control.BroadcastAsync(line.WrittenMemory).ConfigureAwait(false);
    }

    private string Property(string? name)
    {
        lock (_gate)
        {
            return name switch
            {
                "power" => _power ? "on" : "off",
                "bright" => Text(_bright),
                "ct" => Text(_ct),
                "color_mode" => "2",
                "name" => Name,
                _ => "",
            };
        }
    }

    private static string Text(int n) => n.ToString(CultureInfo.InvariantCulture);

    public async ValueTask DisposeAsync()
    {
        await GoAwayAsync().ConfigureAwait(false);
        if (Interlocked.Exchange(ref _left, null) is { } left) await left.DisposeAsync().ConfigureAwait(false);
        _search?.Dispose();
    }
}
