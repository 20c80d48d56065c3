using System.Net;
using System.Net.Sockets;
using Bridge.Service.Devices;
using Bridge.Simulator.Yeelight;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Yeelight;

/// <summary>Simulated Yeelight bulbs and the real bridge in-process, on loopback. Unicast: each bulb
/// answers the search on a port of its own and the bridge is told those ports (works anywhere).
/// Multicast (test namespace only): the bulbs answer the multicast search on a free port of this
/// rig's own, so parallel tests in the namespace never see each other's bulbs.</summary>
public sealed class YeelightRig : IAsyncDisposable
{
    private static int _nextId = Random.Shared.Next(1, 1 << 24);

    private YeelightRig(SimulatedBulb[] bulbs, TestBridge bridge, int searchPort)
    {
        Bulbs = bulbs;
        Bridge = bridge;
        SearchPort = searchPort;
    }

    /// <summary>Started as the bridge began starting (the bulbs were already up).</summary>
    public System.Diagnostics.Stopwatch SinceBridgeStart { get; private init; } = new();
    public TimeSpan BridgeStartTook { get; private init; }

    /// <summary>The bridge's search and advert port (the group's port in multicast mode).</summary>
    public int SearchPort { get; }

    public SimulatedBulb[] Bulbs { get; }
    public TestBridge Bridge { get; }
    public DeviceRegistry Registry => Bridge.App.Services.GetRequiredService<DeviceRegistry>();

    /// <summary>Bulbs with ids unique to this test run, on (ct 4000, bright 50, off).</summary>
    public static SimulatedBulb[] MakeBulbs(int count, int quotaPerMinute = 60) =>
        Enumerable.Range(0, count).Select(i =>
        {
            var bulb = new SimulatedBulb($"0x{Interlocked.Increment(ref _nextId):x}", $"Bulb {i + 1}", quotaPerMinute: quotaPerMinute);
            bulb.SetState(power: false, bright: 50, ct: 4000);
            return bulb;
        }).ToArray();

    public static async Task<YeelightRig> StartAsync(int count, bool multicast = false, int quotaPerMinute = 60, params string[] extra)
    {
        var bulbs = MakeBulbs(count, quotaPerMinute);
        var port = FreePort.GetUdp();
        foreach (var b in bulbs)
            if (multicast) await b.StartAsync(true, multicastPort: port);
            else await b.StartAsync(false);
        var args = new List<string>(extra) { "--Discovery:BeaconPort=0", $"--Discovery:Yeelight:SearchPort={port}" };
        if (!multicast)
            for (var i = 0; i < bulbs.Length; i++) args.Add($"--Discovery:Yeelight:SearchTargets:{i}={bulbs[i].UnicastSearchEndPoint}");
        var bridgeStarting = System.Diagnostics.Stopwatch.StartNew();
        var bridge = await TestBridge.StartAsync(null, false, args.ToArray());
        return new YeelightRig(bulbs, bridge, port) { SinceBridgeStart = bridgeStarting, BridgeStartTook = bridgeStarting.Elapsed };
    }

    /// <summary>Completes when every bulb is known and online and has its state read (or throws after the timeout).</summary>
    public Task WaitAllOnlineAsync(TimeSpan timeout) =>
        WaitRegistryAsync(() => Bulbs.All(b => Registry.TryGet(b.DeviceId, out var d) && d.Online && d.TryGetState("power", out _)), timeout, "every bulb online");

    /// <summary>Waits, on the registry's own events, until <paramref name="condition"/> holds.</summary>
    public async Task WaitRegistryAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition()) done.TrySetResult();
        }
        var onChange = new Action(Check);
        var onOnline = new Action<Device, bool>((_, _) => Check());
        Registry.Changed += onChange;
        Registry.AvailabilityChanged += onOnline;
        try
        {
            Check();
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s");
        }
        finally
        {
            Registry.Changed -= onChange;
            Registry.AvailabilityChanged -= onOnline;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        foreach (var b in Bulbs) await b.DisposeAsync();
    }
}
