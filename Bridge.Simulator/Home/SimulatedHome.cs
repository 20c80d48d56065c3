using Bridge.Simulator.Scenario;

namespace Bridge.Simulator.Home;

/// <summary>A set of simulated devices of any protocols, started and stopped together: the demo home, a
/// scenario file's devices, or N lamps for load tests. Each twin starts itself (<see cref="ISimulatedTwin"/>);
/// the home knows no protocol.</summary>
public sealed class SimulatedHome : IAsyncDisposable
{
    /// <summary>How many twins start at once during <see cref="StartAsync"/> (a load-test home has thousands,
    /// each with its own broker connection).</summary>
    private const int StartParallelism = 16;

    private readonly List<ISimulatedTwin> _twins;
    private readonly Dictionary<string, ISimulatedTwin> _byId;

    public SimulatedHome(IEnumerable<ISimulatedTwin> twins)
    {
        _twins = twins.ToList();
        _byId = new Dictionary<string, ISimulatedTwin>(StringComparer.Ordinal);
        foreach (var t in _twins)
            if (!_byId.TryAdd(t.DeviceId, t)) throw new ArgumentException($"Two devices have the id '{t.DeviceId}'.", nameof(twins));
        Devices = TwinsOf<SimulatedDevice>();
        Lan = TwinsOf<ILanTwin>();
    }

    /// <summary>Every device, in the order given.</summary>
    public IReadOnlyList<ISimulatedTwin> Twins => _twins;

    /// <summary>The devices of one kind, e.g. <c>TwinsOf&lt;SimulatedBulb&gt;()</c>.</summary>
    public IReadOnlyList<T> TwinsOf<T>() where T : ISimulatedTwin => _twins.OfType<T>().ToArray();

    /// <summary>The devices that join the broker.</summary>
    public IReadOnlyList<SimulatedDevice> Devices { get; }

    /// <summary>The devices that serve their own sockets, no broker (see <see cref="LanOnMulticast"/>).</summary>
    public IReadOnlyList<ILanTwin> Lan { get; }

    /// <summary>LAN devices answer their protocol's search on its own group or port (only inside a
    /// network namespace whose loopback carries multicast); otherwise each answers a unicast search on a
    /// loopback port of its own (<see cref="ILanTwin.UnicastSearchEndPoint"/>).</summary>
    public bool LanOnMulticast { get; set; }

    /// <summary>The broker device of that id.</summary>
    public SimulatedDevice this[string id] =>
        TryGet(id, out var d) ? d : throw new KeyNotFoundException($"No simulated device '{id}'.");

    public bool TryGet(string id, out SimulatedDevice device)
    {
        if (_byId.TryGetValue(id, out var twin) && twin is SimulatedDevice d)
        {
            device = d;
            return true;
        }
        device = null!;
        return false;
    }

    /// <summary>The demo home: each protocol's demo devices (<see cref="DemoHomeParts"/>), the same as
    /// <c>configs/scenarios/demo.json</c> and a Gree air conditioner.</summary>
    public static SimulatedHome Demo(TimeProvider? time = null) => new(DemoHomeParts.All(time));

    /// <summary>The devices a scenario describes (a file path, or the JSON text itself). Throws
    /// <see cref="InvalidDataException"/> listing every problem in it.</summary>
    public static SimulatedHome FromScenario(string jsonPathOrText, TimeProvider? time = null)
    {
        var specs = ScenarioReader.Read(jsonPathOrText);
        var problems = new List<string>();
        var twins = new List<ISimulatedTwin>(specs.Count);
        foreach (var spec in specs)
            if (DeviceFactory.Create(spec, time, problems) is { } twin) twins.Add(twin);
        if (problems.Count > 0) throw new InvalidDataException(string.Join(Environment.NewLine, problems));
        return new SimulatedHome(twins);
    }

    /// <summary>Starts every twin (each decides what starting means for it, and whether it
    /// <see cref="ISimulatedTwin.StartOffline"/>); returns when all are reachable. If one fails, the
    /// others may be running: dispose the home.</summary>
    public async Task StartAsync(string host, int port, CancellationToken ct = default)
    {
        var network = new HomeNetwork(host, port, LanOnMulticast);
        // Every broker device learns the broker first, so one switched off at the wall can still
        // come back later even if another twin's start fails below.
        foreach (var d in Devices) d.UseBroker(host, port);
        var options = new ParallelOptions { MaxDegreeOfParallelism = StartParallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(_twins, options, async (t, token) => await t.StartAsync(network, token).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <summary>Every device stops (an MQTT device announces itself offline and disconnects).</summary>
    public async ValueTask DisposeAsync()
    {
        var options = new ParallelOptions { MaxDegreeOfParallelism = StartParallelism };
        await Parallel.ForEachAsync(_twins, options, async (t, _) => await t.DisposeAsync().ConfigureAwait(false)).ConfigureAwait(false);
    }
}
