using Bridge.Tests.Service.Drivers.Tuya;
using Bridge.Protocols.Tuya;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Drivers.Gree;
using Bridge.Tests.Service.Drivers.Miio;
using Xunit.Abstractions;

namespace Bridge.Tests.OutOfProcess;

/// <summary>The whole of issue 13's idle figure at once (docs/benchmarks.md): one bridge, in a process of its own, with
/// 50 adopted devices of each of its LAN protocols — Xiaomi lamps polled every 15 s, Gree units polled every 30 s, Tuya
/// plugs on their connections with a heartbeat every 10 s — and the simulated devices in this process. It idles about
/// two minutes: run on demand (BRIDGE_BENCH=1), reported as skipped otherwise.</summary>
public sealed class LanHomeIdleTests(ITestOutputHelper output)
{
    private const int Each = 50;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    [SkippableBenchFact]
    public async Task Fifty_adopted_devices_of_each_protocol_idle_under_two_percent_of_a_core()
    {
        var (lamps, miioArgs) = await MiioScaleTests.StartLampsAsync();
        var units = Enumerable.Range(0, Each).Select(_ => GreeRig.Unit()).ToArray();
        var plugs = TuyaScaleTests.Plugs();
        try
        {
            var greeArgs = await GreeRig.StartUnitsAsync(units);
            var (tuyaArgs, _, _, _) = await TuyaRig.StartDevicesAsync(plugs);
            await using var bridge = await BenchBridge.StartAsync([.. miioArgs, .. greeArgs, .. tuyaArgs]);
            await bridge.UntilFoundAsync([.. lamps.Select(l => l.DeviceId), .. units.Select(u => u.DeviceId), .. plugs.Select(p => p.DeviceId)], Timeout);
            foreach (var l in lamps) JsonAssert.Ok(await bridge.Client.RequestAsync(new { op = "adopt", device = l.DeviceId, token = MiioRig.Token }));
            foreach (var u in units) JsonAssert.Ok(await bridge.Client.RequestAsync(new { op = "adopt", device = u.DeviceId }));
            foreach (var p in plugs) JsonAssert.Ok(await bridge.Client.RequestAsync(new { op = "adopt", device = p.DeviceId, key = TuyaRig.Key }));

            // Every poll and heartbeat counts: 50/15 + 50/30 + 50/10 = 10 a second. Settled after 300 (about 30 s: two
            // rounds of Xiaomi polls, three of heartbeats, one of Gree polls); the window is 600 more, about 60 s.
            var events = new EventCounter();
            foreach (var l in lamps) l.Handled += m => { if (m == "get_properties") events.Increment(); };
            foreach (var u in units) u.StatusRequested += events.Increment;
            foreach (var p in plugs) p.FrameReceived += c => { if (c == TuyaCommand.HeartBeat) events.Increment(); };
            var idle = await IdleCpu.MeasureAsync(events, 300, 600, TimeSpan.FromSeconds(120), "600 polls and heartbeats", bridge.Cpu);
            output.WriteLine($"idle with {Each} adopted Xiaomi lamps, {Each} Gree units and {Each} Tuya plugs: {idle}");
            Assert.True(idle.BridgePercent < 2, $"{idle.BridgePercent:0.00} %");
        }
        finally
        {
            foreach (var l in lamps) await l.DisposeAsync();
            foreach (var u in units) await u.DisposeAsync();
            foreach (var p in plugs) await p.DisposeAsync();
        }
    }
}
