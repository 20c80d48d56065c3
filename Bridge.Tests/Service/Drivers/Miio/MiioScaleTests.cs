using System.Diagnostics;
using Bridge.Protocols.Miio;
using Bridge.Service.Discovery;
using Bridge.Service.Security;
using Bridge.Simulator.Miio;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Drivers.Miio;

/// <summary>Fifty simulated Xiaomi lamps and the bridge in one process (docs/benchmarks.md, issue 13):
/// how soon all are in <c>discovered</c>, and how long each adopted lamp's first <c>set</c> takes to be
/// confirmed by its read-back. The figures go to the test output; the bounds asserted are loose
/// (shared, loaded machines), the targets are in the benchmarks page.</summary>
public sealed class MiioScaleTests(ITestOutputHelper output)
{
    private const int Count = 50;

    internal static async Task<(SimulatedMiioDevice[] Lamps, string[] Args)> StartLampsAsync()
    {
        var lamps = Enumerable.Range(0, Count).Select(_ => MiioRig.Lamp()).ToArray();
        var args = new List<string> { "--Discovery:BeaconPort=0" };
        for (var i = 0; i < lamps.Length; i++)
        {
            await lamps[i].StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);
            args.Add($"--Discovery:Miio:Targets:{i}={lamps[i].Address}:{lamps[i].Port}");
        }
        return (lamps, args.ToArray());
    }

    /// <summary>Idle CPU with 50 adopted lamps polled at the default interval (15 s): the bridge runs in a process of
    /// its own (as a user runs it), the simulated lamps in this one, so the bridge's share is measured apart. The window
    /// is four rounds of polls, about 80 s in all: run on demand (BRIDGE_BENCH=1), reported as skipped otherwise.</summary>
    [SkippableBenchFact]
    public async Task Fifty_adopted_lamps_idle_under_two_percent_of_a_core_polls_included()
    {
        var (lamps, args) = await StartLampsAsync();
        try
        {
            await using var bridge = await BenchBridge.StartAsync(args);
            await bridge.UntilFoundAsync(lamps.Select(l => l.DeviceId).ToArray(), TimeSpan.FromSeconds(30));
            foreach (var lamp in lamps) JsonAssert.Ok(await bridge.Client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token }));
            var polls = new EventCounter();
            foreach (var l in lamps) l.Handled += m => { if (m == "get_properties") polls.Increment(); };
            // Settled once every lamp has had two polls after adoption (start-up's JIT and timers behind it); the window
            // is four more rounds (about 60 s at the default 15 s), opened and closed by the polls themselves.
            var idle = await IdleCpu.MeasureAsync(polls, Count * 2, Count * 4, TimeSpan.FromSeconds(90), "four rounds of polls", bridge.Cpu);
            output.WriteLine($"idle with {Count} adopted Xiaomi lamps (poll every 15 s): {idle}");
            Assert.True(idle.BridgePercent < 2, $"{idle.BridgePercent:0.00} %");
        }
        finally
        {
            foreach (var l in lamps) await l.DisposeAsync();
        }
    }

    [Fact]
    public async Task Fifty_lamps_are_found_and_each_first_set_after_adoption_is_confirmed_quickly()
    {
        var (lamps, args) = await StartLampsAsync();
        try
        {
            var started = Stopwatch.StartNew();
            await using var bridge = await TestBridge.StartAsync(null, false, args);
            var hostStart = started.ElapsedMilliseconds;
            var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
            var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            void Check(DiscoveredDevice _, bool __)
            {
                if (lamps.All(l => discovered.Find(l.DeviceId) is not null)) all.TrySetResult();
            }
            discovered.Changed += Check;
            Check(null!, true);
            await all.Task.WaitAsync(TimeSpan.FromSeconds(30));
            var foundAt = started.ElapsedMilliseconds;
            discovered.Changed -= Check;

            await using var client = await bridge.ConnectAsync(TokenScope.Install);
            var firstSets = new List<double>();
            foreach (var lamp in lamps)
            {
                JsonAssert.Ok(await client.RequestAsync(new { op = "adopt", device = lamp.DeviceId, token = MiioRig.Token }));
                var t = Stopwatch.GetTimestamp();
                JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = lamp.DeviceId, state = new { power = "on", brightness = 70 } }));
                firstSets.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
                Assert.True(lamp.Value(2, 1).GetBoolean());
            }
            firstSets.Sort();
            output.WriteLine($"{Count} simulated Xiaomi lamps in 'discovered' {foundAt} ms after the bridge began starting (host start took {hostStart} ms, so {foundAt - hostStart} ms after the search began)");
            output.WriteLine($"first confirmed set after adoption (set_properties + get_properties read-back, over the local API): p50 {firstSets[Count / 2]:0.0} ms, p90 {firstSets[Count * 9 / 10]:0.0} ms, max {firstSets[^1]:0.0} ms");
            Assert.True(firstSets[Count / 2] < 500, $"p50 {firstSets[Count / 2]} ms");
        }
        finally
        {
            foreach (var l in lamps) await l.DisposeAsync();
        }
    }
}
