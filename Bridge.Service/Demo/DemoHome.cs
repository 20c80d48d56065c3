using Bridge.Simulator.Home;
using Bridge.Service.Devices;
using Bridge.Service.Mqtt;
using Bridge.Simulator;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Demo;

/// <summary>Starts the simulated home, made of each protocol module's demo devices, on the embedded
/// broker and reports ready once the bridge has found every simulated device online.</summary>
public sealed class DemoHome(IOptions<DemoOptions> options, EmbeddedBroker broker, IOptions<MqttOptions> mqtt,
    Mqtt.Accounts.DeviceAccounts accounts, DeviceRegistry registry, IEnumerable<IDemoDevices> modules, TimeProvider time, ILogger<DemoHome> log) : IHostedService, IAsyncDisposable
{
    /// <summary>A safety net, not a schedule: on a loaded machine the home can take a while to report.</summary>
    private static readonly TimeSpan FindTimeout = TimeSpan.FromSeconds(60);
    private SimulatedHome? _home;
    private string[] _expected = [];

    public SimulatedHome? Home => _home;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        if (!options.Value.Enabled) return;
        var (host, port) = mqtt.Value.ClientTarget(broker.Port);
        // Demo:Lamps asks for the load-test home instead: each module's share of it (Tasmota's lamps, nothing else).
        var lamps = options.Value.Lamps;
        var parts = modules.Select(m => (Module: m, Devices: lamps > 0 ? m.LoadTest(lamps, time) : m.Create(time))).ToArray();
        _home = new SimulatedHome(parts.SelectMany(p => p.Devices.All));
        if (mqtt.Value.Embedded) DemoAccounts.Give(_home, accounts, modules);
        await _home.StartAsync(host, port, cancellationToken).ConfigureAwait(false);
        _expected = parts.SelectMany(p => p.Module.Started(p.Devices)).ToArray();
        log.LogInformation("Simulated home started: {Count} devices", _home.Twins.Count);
    }

    /// <summary>Completes when every simulated device is known, online and controllable: it has
    /// reported its state at least once (so its driver hears it), and a client that connects at once
    /// finds the whole home (or after a bound).</summary>
    public async Task WaitFoundAsync(CancellationToken ct)
    {
        if (_home is null) return;
        var ids = _expected;
        var found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (ids.All(id => registry.TryGet(id, out var d) && Controllable(d))) found.TrySetResult();
        }
        var listener = new Action(Check);
        var onlineListener = new Action<Device, bool>((_, _) => Check());
        registry.Changed += listener;
        registry.AvailabilityChanged += onlineListener;
        try
        {
            Check();
            await found.Task.WaitAsync(FindTimeout, time, ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            var missing = ids.Where(id => !(registry.TryGet(id, out var d) && Controllable(d)));
            log.LogWarning("Not every simulated device was found within {Timeout}: {Missing}", FindTimeout, string.Join(", ", missing));
        }
        finally
        {
            registry.Changed -= listener;
            registry.AvailabilityChanged -= onlineListener;
        }
    }

    private static bool Controllable(Device device) =>
        device.Online && device.StateSnapshot().Length > 0;

    /// <summary>Stops the simulated devices first (hosted services stop in reverse order), while the broker is still up.</summary>
    public async Task StopAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        var home = Interlocked.Exchange(ref _home, null);
        if (home is null) return;
        try
        {
            await home.DisposeAsync().ConfigureAwait(false);
        }
        catch (Exception e)
        {
            log.LogDebug(e, "Stopping the simulated home failed");
        }
    }
}
