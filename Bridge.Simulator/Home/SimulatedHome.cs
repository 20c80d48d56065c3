using System.Net;
using Bridge.Simulator.Mdns;
using Bridge.Simulator.Scenario;
using Bridge.Simulator.Shelly;
using Bridge.Simulator.Tasmota;
using Bridge.Simulator.Yeelight;

namespace Bridge.Simulator.Home;

/// <summary>A set of simulated devices that connect to one MQTT broker: the demo home, a scenario file's
/// devices, or N lamps for load tests.</summary>
public sealed class SimulatedHome : IAsyncDisposable
{
    /// <summary>How many devices connect at once during <see cref="StartAsync"/>.</summary>
    private const int ConnectParallelism = 16;

    private readonly List<SimulatedDevice> _devices;
    private readonly Dictionary<string, SimulatedDevice> _byId;
    private readonly List<(ShellyDevice Device, ShellyHttpRpc Rpc)> _localRpc = [];

    public SimulatedHome(IEnumerable<SimulatedDevice> devices, IEnumerable<ILanTwin>? lan = null)
    {
        _devices = devices.ToList();
        Lan = lan?.ToList() ?? [];
        Bulbs = Lan.OfType<SimulatedBulb>().ToList();
        _byId = new Dictionary<string, SimulatedDevice>(StringComparer.Ordinal);
        foreach (var d in _devices)
            if (!_byId.TryAdd(d.Id, d)) throw new ArgumentException($"Two devices have the id '{d.Id}'.", nameof(devices));
        if (Lan.GroupBy(b => b.DeviceId).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Two LAN devices have the id '{twice.Key}'.", nameof(lan));
    }

    /// <summary>The MQTT devices (Tasmota, Shelly).</summary>
    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    /// <summary>The devices that serve their own sockets, no broker (see <see cref="LanOnMulticast"/>).</summary>
    public IReadOnlyList<ILanTwin> Lan { get; }

    /// <summary>The Yeelight bulbs among <see cref="Lan"/>.</summary>
    public IReadOnlyList<SimulatedBulb> Bulbs { get; }

    /// <summary>LAN devices answer their protocol's search on its own group or port (only inside a
    /// network namespace whose loopback carries multicast); otherwise each answers a unicast search on a
    /// loopback port of its own (<see cref="ILanTwin.UnicastSearchEndPoint"/>).</summary>
    public bool LanOnMulticast { get; set; }

    /// <summary>The same as <see cref="LanOnMulticast"/>.</summary>
    public bool BulbsOnMulticast { get => LanOnMulticast; set => LanOnMulticast = value; }

    public SimulatedDevice this[string id] =>
        _byId.TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"No simulated device '{id}'.");

    public bool TryGet(string id, out SimulatedDevice device) => _byId.TryGetValue(id, out device!);

    /// <summary>The demo home: a Tasmota CT lamp, a Shelly dimmer, a Tasmota IR air conditioner, a Tasmota
    /// thermostat water heater and a Shelly plug (the same as <c>configs/scenarios/demo.json</c>).</summary>
    public static SimulatedHome Demo(TimeProvider? time = null)
    {
        // Each protocol's part of the demo home lives with its simulated devices.
        return new SimulatedHome([.. TasmotaDemo.Devices(time), .. ShellyDemo.Devices(time)],
            [.. YeelightDemo.Bulbs(time), .. Gree.GreeDemo.Units()]);
    }

    /// <summary>The devices a scenario describes (a file path, or the JSON text itself). Throws
    /// <see cref="InvalidDataException"/> listing every problem in it.</summary>
    public static SimulatedHome FromScenario(string jsonPathOrText, TimeProvider? time = null)
    {
        var specs = ScenarioReader.Read(jsonPathOrText);
        var problems = new List<string>();
        var devices = new List<SimulatedDevice>(specs.Count);
        var bulbs = new List<SimulatedBulb>();
        foreach (var spec in specs)
        {
            if (spec.Protocol == BulbFactory.Protocol)
            {
                if (BulbFactory.Create(spec, time, problems) is { } b) bulbs.Add(b);
            }
            else if (DeviceFactory.Create(spec, time, problems) is { } d) devices.Add(d);
        }
        if (problems.Count > 0) throw new InvalidDataException(string.Join(Environment.NewLine, problems));
        return new SimulatedHome(devices, bulbs);
    }

    /// <summary><paramref name="count"/> Tasmota CT lamps <c>lamp-1</c>..<c>lamp-N</c> ("Lamp N"), off, Dimmer 50, CT 300.</summary>
    public static SimulatedHome Lamps(int count, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var lamps = new List<SimulatedDevice>(count);
        for (var i = 1; i <= count; i++)
        {
            var lamp = new TasmotaLight($"lamp-{i}", $"Lamp {i}", MacAddress.Numbered(i), colorTemperature: true, time: time);
            lamp.SetState(power: false, dimmer: 50, ctMireds: 300);
            lamps.Add(lamp);
        }
        return new SimulatedHome(lamps);
    }

    /// <summary><paramref name="count"/> Yeelight CT bulbs (<c>0x...b0001</c> up), off, bright 50, ct 4000, no MQTT devices.</summary>
    public static SimulatedHome YeelightBulbs(int count, TimeProvider? time = null)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var bulbs = new List<SimulatedBulb>(count);
        for (var i = 1; i <= count; i++)
        {
            var bulb = new SimulatedBulb($"0x{0xb0000 + i:x}", $"Bulb {i}", time);
            bulb.SetState(power: false, bright: 50, ct: 4000);
            bulbs.Add(bulb);
        }
        return new SimulatedHome([], bulbs);
    }

    /// <summary>Connects every device (except those marked <see cref="SimulatedDevice.StartOffline"/>)
    /// and opens every bulb; returns when all are connected and announced.</summary>
    public async Task StartAsync(string host, int port, CancellationToken ct = default)
    {
        foreach (var twin in Lan) await twin.StartAsync(LanOnMulticast).ConfigureAwait(false);
        foreach (var d in _devices) d.UseBroker(host, port);
        var options = new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(_devices.Where(d => !d.StartOffline && d.ConnectsOnStart), options,
            async (d, token) => await d.ConnectAsync(host, port, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Starts the local RPC endpoint (HTTP on loopback) of every Shelly that serves one; returns
    /// how mDNS would announce them (id, address, RPC port).</summary>
    public async Task<IReadOnlyList<ShellyAnnouncement>> StartLocalRpcAsync(CancellationToken ct = default)
    {
        foreach (var shelly in _devices.OfType<ShellyDevice>().Where(d => d.ServesLocalRpc && _localRpc.All(l => l.Device != d)))
            _localRpc.Add((shelly, await ShellyHttpRpc.StartAsync(shelly, IPAddress.Loopback, ct).ConfigureAwait(false)));
        return _localRpc.Select(l => new ShellyAnnouncement(l.Device.Id, l.Rpc.EndPoint.Address, l.Rpc.EndPoint.Port, l.Device.App, l.Device.Version, l.Device.Generation)).ToArray();
    }

    /// <summary>Every device announces itself offline and disconnects.</summary>
    public async ValueTask DisposeAsync()
    {
        foreach (var (_, rpc) in _localRpc) await rpc.DisposeAsync().ConfigureAwait(false);
        var options = new ParallelOptions { MaxDegreeOfParallelism = ConnectParallelism };
        await Parallel.ForEachAsync(_devices, options, async (d, _) => await d.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
        foreach (var twin in Lan) await twin.DisposeAsync().ConfigureAwait(false);
    }
}
