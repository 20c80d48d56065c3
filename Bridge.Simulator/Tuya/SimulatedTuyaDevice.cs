using System.Net;
using System.Net.Sockets;
using System.Text;
using Bridge.Protocols.Tuya;

namespace Bridge.Simulator.Tuya;

/// <summary>A Tuya Wi-Fi device on real loopback sockets (PROTOCOLS.md §10.1): one TCP client at a
/// time on its port, the session-key handshake (3.4/3.5), DP queries, CONTROL acked then confirmed
/// by a STATUS push, heartbeats, its discovery broadcast (or, <see cref="AnswersOnlyDeviceInfo"/>,
/// answers to REQ_DEVINFO), and faults: a changed key, silence, the vendor app holding the only
/// connection, a remote-control change, a reboot.</summary>
public sealed class SimulatedTuyaDevice : ILanTwin
{
    private readonly TuyaDps _dps;
    private readonly TimeProvider _time;
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private TcpListener? _listener;
    private Task? _accepting;
    private TuyaDeviceSession? _session;
    private UdpClient? _udp;
    private Task? _deviceInfoLoop;
    private ITimer? _broadcastTimer;
    private byte[] _localKey;

    public SimulatedTuyaDevice(string devId, string localKey, TuyaVersion version, string productKey, string name,
        IEnumerable<KeyValuePair<string, TuyaDpValue>> dps, TimeProvider? time = null)
    {
        DevId = devId;
        _localKey = TuyaKeys.TryParseLocalKey(localKey, out var error) ?? throw new ArgumentException(error, nameof(localKey));
        Version = version;
        ProductKey = productKey;
        Name = name;
        _dps = new TuyaDps(dps);
        _time = time ?? TimeProvider.System;
    }

    public string DevId { get; }
    /// <summary>The id the bridge lists it under.</summary>
    public string DeviceId => "tuya-" + DevId;
    public TuyaVersion Version { get; }
    public string ProductKey { get; }
    public string Name { get; }
    public IPAddress Address { get; private set; } = IPAddress.Loopback;
    /// <summary>The TCP port (6668 on real devices; a free one here).</summary>
    public int Port { get; private set; }

    /// <summary>Takes frames in and never answers (a hung device).</summary>
    public bool Silent { get; set; }
    /// <summary>The vendor app holds the device's single connection: new ones are reset at once.</summary>
    public bool AppHoldsConnection { get; set; }
    /// <summary>A 3.5 device that does not broadcast, only answers REQ_DEVINFO.</summary>
    public bool AnswersOnlyDeviceInfo { get; init; }
    /// <summary>Where the broadcasts go (the bridge's 6666/6667 in tests) and how often.</summary>
    public List<IPEndPoint> BroadcastTargets { get; } = [];
    public TimeSpan BroadcastInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Where REQ_DEVINFO answers go: the requester's address at this port (7000 on real devices).</summary>
    public int DeviceInfoReplyPort { get; set; } = TuyaDiscovery.DeviceInfoPort;
    /// <summary>The UDP port this device hears REQ_DEVINFO on (when <see cref="AnswersOnlyDeviceInfo"/>).</summary>
    public int DeviceInfoPort { get; private set; }

    /// <summary>Switched off at the wall: the demo's <see cref="ILanTwin.StartAsync"/> opens nothing.</summary>
    public bool StartOffline { get; init; }

    /// <summary>Where REQ_DEVINFO reaches it by unicast (a device that answers only that probe); broadcasting devices are heard, not searched.</summary>
    public IPEndPoint? UnicastSearchEndPoint => AnswersOnlyDeviceInfo && _udp is not null ? new IPEndPoint(Address, DeviceInfoPort) : null;

    Task ILanTwin.StartAsync(bool multicast) => StartOffline ? Task.CompletedTask : StartAsync(IPAddress.Loopback);

    public int Connections => _session is null ? 0 : 1;
    public int FramesReceived => _framesReceived;
    private int _framesReceived;

    /// <summary>Raised with the command number of every frame taken in.</summary>
    public event Action<uint>? FrameReceived;

    internal byte[] LocalKey { get { lock (_gate) return _localKey; } }
    internal TuyaDps Dps => _dps;
    internal TimeProvider Time => _time;

    public IReadOnlyDictionary<string, TuyaDpValue> Snapshot() => _dps.Snapshot();

    public async Task StartAsync(IPAddress? address = null, int port = 0)
    {
        Address = address ?? IPAddress.Loopback;
        Listen(port);
        if (AnswersOnlyDeviceInfo)
        {
            _udp = new UdpClient(new IPEndPoint(Address, 0));
            DeviceInfoPort = ((IPEndPoint)_udp.Client.LocalEndPoint!).Port;
            _deviceInfoLoop = Task.Run(DeviceInfoLoopAsync);
        }
        else
        {
            _udp = new UdpClient(new IPEndPoint(Address, 0)) { EnableBroadcast = true };
            await BroadcastAsync().ConfigureAwait(false);
            _broadcastTimer = _time.CreateTimer(_ => _ = BroadcastAsync(), null, BroadcastInterval, BroadcastInterval);
        }
    }

    private void Listen(int port)
    {
        var listener = new TcpListener(new IPEndPoint(Address, port));
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _accepting = Task.Run(() => AcceptLoopAsync(listener));
    }

    /// <summary>The device was re-paired in its app: it has a new local key now.</summary>
    public void RePair(string newLocalKey)
    {
        var key = TuyaKeys.TryParseLocalKey(newLocalKey, out var error) ?? throw new ArgumentException(error, nameof(newLocalKey));
        lock (_gate) _localKey = key;
        DropConnection();
    }

    /// <summary>Someone used the remote or the app: the device pushes STATUS to its client.</summary>
    public Task ChangeAsync(params KeyValuePair<string, TuyaDpValue>[] changes)
    {
        _dps.Apply(changes);
        return _session?.PushStatusAsync(changes) ?? Task.CompletedTask;
    }

    public void DropConnection() => Interlocked.Exchange(ref _session, null)?.Close();

    /// <summary>Power-cycles: the connection drops, the port is closed for <paramref name="down"/>,
    /// then the device is back on the same port and broadcasts.</summary>
    public async Task RebootAsync(TimeSpan down)
    {
        var listener = Interlocked.Exchange(ref _listener, null);
        listener?.Stop();
        DropConnection();
        if (_accepting is not null) await _accepting.ConfigureAwait(false);
        await Task.Delay(down, _time).ConfigureAwait(false);
        Listen(Port);
        if (!AnswersOnlyDeviceInfo) await BroadcastAsync().ConfigureAwait(false);
    }

    public async Task BroadcastAsync()
    {
        if (_udp is null || _listener is null) return;
        var datagram = TuyaDiscovery.Write(new TuyaAnnouncement(DevId, Address.ToString(), ProductKey, Version));
        foreach (var target in BroadcastTargets.ToArray())
        {
            try
            {
                await _udp.SendAsync(datagram, target).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private async Task DeviceInfoLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult r;
            try
            {
                r = await _udp!.ReceiveAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            if (_listener is null || !TuyaDiscovery.IsDeviceInfoRequest(r.Buffer)) continue;
            var answer = TuyaDiscovery.Write(new TuyaAnnouncement(DevId, Address.ToString(), ProductKey, Version));
            try
            {
                await _udp.SendAsync(answer, new IPEndPoint(r.RemoteEndPoint.Address, DeviceInfoReplyPort)).ConfigureAwait(false);
            }
            catch (SocketException)
            {
            }
        }
    }

    private async Task AcceptLoopAsync(TcpListener listener)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }
            // One client at a time, like the real devices; the app holding it means a reset for everyone else.
            if (AppHoldsConnection || _session is not null)
            {
                socket.LingerState = new LingerOption(true, 0);
                socket.Dispose();
                continue;
            }
            socket.NoDelay = true;
            var session = new TuyaDeviceSession(this, socket);
            _session = session;
            _ = Task.Run(async () =>
            {
                await session.RunAsync(_stop.Token).ConfigureAwait(false);
                Left(session);
            });
        }
    }

    /// <summary>A session ended: its client slot is free.</summary>
    internal void Left(TuyaDeviceSession session) => Interlocked.CompareExchange(ref _session, null, session);

    internal void Received(uint command)
    {
        Interlocked.Increment(ref _framesReceived);
        FrameReceived?.Invoke(command);
    }

    internal static byte[] Utf8(string s) => Encoding.UTF8.GetBytes(s);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _broadcastTimer?.Dispose();
        _listener?.Stop();
        DropConnection();
        _udp?.Dispose();
        if (_accepting is not null) await _accepting.ConfigureAwait(false);
        if (_deviceInfoLoop is not null) await _deviceInfoLoop.ConfigureAwait(false);
    }
}
