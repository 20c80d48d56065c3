using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Bridge.Protocols.Gree;

namespace Bridge.Simulator.Gree;

/// <summary>A Gree air conditioner on a real loopback UDP socket (PROTOCOLS.md §10.3): answers
/// <c>{"t":"scan"}</c> with its device pack (V1 generic key, whatever its firmware), binds (handing
/// out its own key), answers status and cmd under that key with the firmware's cipher (V1 ECB or
/// V2 GCM), and takes faults: silence, a firmware that answers only V2, a remote-control change,
/// a reboot (new key after it), a firmware whose answer to a cmd carries only <c>p</c>, a unit that
/// refuses to bind (its key cannot be renewed), a unit that answers in another unit's name.</summary>
public sealed class SimulatedGreeAc : ILanTwin
{
    private static readonly string[] KnownColumns = ["Pow", "Mod", "SetTem", "WdSpd", "TemSen", "TemUn", "Lig", "SwUpDn", "Quiet", "Tur", "Buzzer_ON_OFF"];
    private readonly Dictionary<string, int> _values = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stop = new();
    private UdpClient? _udp;
    private Task? _loop;
    private string _deviceKey;

    public SimulatedGreeAc(string mac, string name, GreeCipherVersion firmware = GreeCipherVersion.V1)
    {
        if (!GreeColumns.IsMac(mac)) throw new ArgumentException("a Gree MAC is 12 lowercase hex digits", nameof(mac));
        Mac = mac;
        Name = name;
        Firmware = firmware;
        _deviceKey = NewKey();
        foreach (var c in KnownColumns) _values[c] = 0;
        _values["SetTem"] = 26;
        _values["TemSen"] = 40 + 27;
        _values["Lig"] = 1;
        _values["Buzzer_ON_OFF"] = 1;
    }

    public string Mac { get; }
    public string DeviceId => "gree-" + Mac;
    public string Name { get; }
    /// <summary>V2: the unit answers only GCM packs (and its scan answer still uses V1, PROTOCOLS.md §10.3).</summary>
    public GreeCipherVersion Firmware { get; }
    /// <summary>What the scan answer says as <c>ver</c> (and in <c>hid</c>): by default a version that names the cipher.</summary>
    public string FirmwareVersion { get => _firmwareVersion ?? (Firmware == GreeCipherVersion.V2 ? "V1.21" : "V1.1.13"); init => _firmwareVersion = value; }
    private readonly string? _firmwareVersion;
    public IPEndPoint EndPoint { get; private set; } = new(IPAddress.Loopback, 0);
    /// <summary>Takes datagrams and never answers (a unit that timed out, or cloud-only firmware).</summary>
    public bool Silent { get; set; }
    /// <summary>Answers a cmd with only <c>p</c>, no <c>val</c>, as some firmware does.</summary>
    public bool ResWithoutVal { get; set; }
    /// <summary>Ignores bind requests (some units only bind for a while after power-on).</summary>
    public bool RefusesBind { get; set; }
    /// <summary>Answers status and cmd in the name of this other MAC (a misconfigured repeater, a cloned unit).</summary>
    public string? AnswersAsMac { get; set; }
    /// <summary>Datagrams received, answered or not.</summary>
    public int Received => _received;
    private int _received;
    public bool StartOffline { get; init; }
    /// <summary>Where to send the scan by unicast: the unit's own socket (null before start or when on port 7000 for broadcasts).</summary>
    public IPEndPoint? UnicastSearchEndPoint => _udp is null || _onBroadcastPort ? null : EndPoint;
    private bool _onBroadcastPort;
    public int Binds => _binds;
    private int _binds;
    public int StatusRequests => _statusRequests;
    private int _statusRequests;
    /// <summary>Raised on every status request taken in (a poll), on the receiving thread.</summary>
    public event Action? StatusRequested;

    /// <summary>The key the unit hands out at bind (tests check it never shows in logs or files).</summary>
    public string DeviceKey
    {
        get { lock (_gate) return _deviceKey; }
    }

    public void Set(string column, int value)
    {
        lock (_gate) _values[column] = value;
    }

    public int Get(string column)
    {
        lock (_gate) return _values[column];
    }

    /// <summary>A change made with the remote: the unit pushes nothing; the next status poll sees it.</summary>
    public void RemoteChange(params (string Column, int Value)[] changes)
    {
        lock (_gate)
            foreach (var (c, v) in changes) _values[c] = v;
    }

    /// <summary>Opens the unit's socket: on <paramref name="multicast"/>, UDP 7000 on every address (shared,
    /// for a broadcast scan inside a network namespace); otherwise a loopback port of its own.</summary>
    Task ILanTwin.StartAsync(bool multicast)
    {
        if (StartOffline) return Task.CompletedTask;
        _onBroadcastPort = multicast;
        return multicast ? StartAsync(IPAddress.Any, 7000) : StartAsync();
    }

    public Task StartAsync(IPAddress? address = null, int port = 0)
    {
        _udp = new UdpClient(AddressFamily.InterNetwork);
        _udp.Client.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _udp.Client.Bind(new IPEndPoint(address ?? IPAddress.Loopback, port));
        EndPoint = (IPEndPoint)_udp.Client.LocalEndPoint!;
        _loop = Task.Run(LoopAsync);
        return Task.CompletedTask;
    }

    /// <summary>Power-cycled: the old bind key is gone (a new one on the next bind); the port stays.</summary>
    public void Reboot()
    {
        lock (_gate) _deviceKey = NewKey();
    }

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult r;
            try
            {
                r = await _udp!.ReceiveAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }
            Interlocked.Increment(ref _received);
            if (Silent) continue;
            var answer = Answer(r.Buffer);
            if (answer is null) continue;
            try
            {
                await _udp.SendAsync(answer, r.RemoteEndPoint).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
        }
    }

    private byte[]? Answer(byte[] datagram)
    {
        if (!GreeEnvelope.TryParse(datagram, out var envelope, out _)) return null;
        if (envelope!.T == "scan")
            return GreeEnvelope.Write(GreeCipherVersion.V1, GreeCipher.GenericKeyV1, 1, Mac, "", GreeMessage.Device(Mac, Name, "gree", FirmwareVersion, $"362001065279+U-WB05RT13{FirmwareVersion}.bin"));
        if (envelope.T != "pack" || envelope.Pack is null) return null;
        // A V2 unit ignores V1 packs (and the other way round): the client sees silence and tries the other cipher.
        if (envelope.Cipher != Firmware) return null;
        string key;
        lock (_gate) key = _deviceKey;
        var isBind = envelope.I == 1;
        if (!GreeCipher.TryDecrypt(Firmware, isBind ? GreeCipher.GenericKey(Firmware) : key, envelope.Pack, envelope.Tag, out var json)) return null;
        if (!GreeMessage.TryParse(json, out var m, out _)) return null;
        byte[] inner;
        switch (m!.T)
        {
            case "bind":
                if (RefusesBind) return null;
                Interlocked.Increment(ref _binds);
                inner = GreeMessage.BindOk(Mac, key);
                return GreeEnvelope.Write(Firmware, GreeCipher.GenericKey(Firmware), 1, Mac, "app", inner);
            case "status":
            {
                Interlocked.Increment(ref _statusRequests);
                StatusRequested?.Invoke();
                int[] values;
                lock (_gate) values = m.Columns.Select(c => _values.GetValueOrDefault(c)).ToArray();
                inner = GreeMessage.Dat(Mac, m.Columns, values);
                break;
            }
            case "cmd":
            {
                if (m.Columns.Count != m.Values.Count || m.Columns.Any(c => !_values.ContainsKey(c))) return null;
                lock (_gate)
                    for (var i = 0; i < m.Columns.Count; i++) _values[m.Columns[i]] = m.Values[i];
                inner = GreeMessage.Res(Mac, m.Columns, m.Values, withVal: !ResWithoutVal);
                break;
            }
            default:
                return null;
        }
        var name = AnswersAsMac ?? Mac;
        if (AnswersAsMac is not null && GreeMessage.TryParse(inner, out var own, out _))
            inner = own!.T == "dat" ? GreeMessage.Dat(name, own.Columns, own.Values) : GreeMessage.Res(name, own.Columns, own.Values, withVal: !ResWithoutVal);
        return GreeEnvelope.Write(Firmware, key, 0, name, "app", inner);
    }

    private static string NewKey()
    {
        const string alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        var b = new StringBuilder(16);
        for (var i = 0; i < 16; i++) b.Append(alphabet[RandomNumberGenerator.GetInt32(alphabet.Length)]);
        return b.ToString();
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp?.Dispose();
        if (_loop is not null) await _loop.ConfigureAwait(false);
    }
}
