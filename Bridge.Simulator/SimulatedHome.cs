using System.Net;
using Bridge.Simulator.Mdns;
using Bridge.Simulator.Scenario;
using Bridge.Simulator.Shelly;
using Bridge.Simulator.Tasmota;
using Bridge.Simulator.Yeelight;

namespace Bridge.Simulator;

/// <summary>A set of simulated devices that connect to one MQTT broker: the demo home, a scenario file's
/// devices, or N lamps for load tests.</summary>
public sealed class SimulatedHome : IAsyncDisposable
{
    /// <summary>How many devices connect at once during <see cref="StartAsync"/>.</summary>
    private const int ConnectParallelism = 16;

    private readonly List<SimulatedDevice> _devices;
    private readonly Dictionary<string, SimulatedDevice> _byId;
    private readonly List<(ShellyDevice Device, ShellyHttpRpc Rpc)> _localRpc = [];

    public SimulatedHome(IEnumerable<SimulatedDevice> devices, IEnumerable<SimulatedBulb>? bulbs = null)
    {
        _devices = devices.ToList();
        Bulbs = bulbs?.ToList() ?? [];
        _byId = new Dictionary<string, SimulatedDevice>(StringComparer.Ordinal);
        foreach (var d in _devices)
            if (!_byId.TryAdd(d.Id, d)) throw new ArgumentException($"Two devices have the id '{d.Id}'.", nameof(devices));
        if (Bulbs.GroupBy(b => b.YeelightId).FirstOrDefault(g => g.Count() > 1) is { } twice)
            throw new ArgumentException($"Two bulbs have the id '{twice.Key}'.", nameof(bulbs));
    }

    /// <summary>The MQTT devices (Tasmota, Shelly).</summary>
    public IReadOnlyList<SimulatedDevice> Devices => _devices;

    /// <summary>Yeelight bulbs: no broker, their own sockets (see <see cref="BulbsOnMulticast"/>).</summary>
    public IReadOnlyList<SimulatedBulb> Bulbs { get; }

    /// <summary>Bulbs answer the multicast search on 239.255.255.250:1982 (only inside a network
    /// namespace whose loopback carries multicast); otherwise each answers a unicast search on a
    /// loopback port of its own (<see cref="SimulatedBulb.UnicastSearchEndPoint"/>).</summary>
    public bool BulbsOnMulticast { get; set; }

    public SimulatedDevice this[string id] =>
        _byId.TryGetValue(id, out var d) ? d : throw new KeyNotFoundException($"No simulated device '{id}'.");

    public bool TryGet(string id, out SimulatedDevice device) => _byId.TryGetValue(id, out device!);

    /// <summary>The demo home: a Tasmota CT lamp, a Shelly dimmer, a Tasmota IR air conditioner, a Tasmota
    /// thermostat water heater and a Shelly plug (the same as <c>configs/scenarios/demo.json</c>).</summary>
    public static SimulatedHome Demo(TimeProvider? time = null)
    {
        var lamp = new TasmotaLight("lamp-1", "Living room lamp", "4C11AE0D1A01", colorTemperature: true, time: time);
        lamp.SetState(power: false, dimmer: 40, ctMireds: 370);
        var hallway = new ShellyDimmer("shellydimmerg3-84fce63ad204", "Hallway lamp", time);
        hallway.SetState(power: false, brightness: 60);
        var ac = new TasmotaIrHvac("ac-1", "Bedroom air conditioner", "4C11AE0D1A02", time: time);
        ac.SetState(power: false, mode: "Cool", fanSpeed: "Auto", target: 26, room: 27.5);
        var heater = new TasmotaWaterHeater("water-heater-1", "Bathroom water heater", "4C11AE0D1A03", time: time);
        heater.SetState(on: true, target: 50, water: 48);
        var kettle = new ShellyPlug("shellyplusplugs-e86beae8b1c0", "Kettle plug", time);
        kettle.SetState(power: false);
        var desk = new SimulatedBulb("0x0000000007e1d001", "Study desk bulb", time);
        desk.SetState(power: false, bright: 70, ct: 4000);
        var bedside = new SimulatedBulb("0x0000000007e1d002", "Bedside bulb", time);
        bedside.SetState(power: false, bright: 30, ct: 2700);
        return new SimulatedHome([lamp, hallway, ac, heater, kettle], [desk, bedside]);
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
        foreach (var b in Bulbs) await b.StartAsync(BulbsOnMulticast).ConfigureAwait(false);
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
        foreach (var b in Bulbs) await b.DisposeAsync().ConfigureAwait(false);
    }
}
