using Bridge.Service.Discovery;
using Bridge.Simulator.Mdns;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Drivers.Yeelight;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The issue #3 start-up figure in one run (test namespace only): 100 simulated Shelly
/// devices on mDNS and 20 Yeelight bulbs on their multicast search, all present before the bridge
/// starts, all in <c>discovered</c> after it. The time is reported (docs/benchmarks.md), not asserted.</summary>
public sealed class DiscoveryStartupBenchmark(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [NetnsFact]
    public async Task A_hundred_mdns_devices_and_twenty_bulbs_are_all_found_after_start()
    {
        await using var crowd = await MdnsShellyCrowd.StartAsync(100);
        await using var rig = await YeelightRig.StartAsync(20, multicast: true);
        var discovered = rig.Bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        var expected = crowd.Ids.Concat(rig.Bulbs.Select(b => b.DeviceId)).ToHashSet();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (expected.IsSubsetOf(discovered.List().Select(d => d.Device.Id))) all.TrySetResult();
        }
        discovered.Changed += (_, _) => Check();
        Check();
        await all.Task.WaitAsync(Timeout);
        var foundAt = rig.SinceBridgeStart.ElapsedMilliseconds;
        var line = $"100 mDNS devices and 20 Yeelight bulbs all in 'discovered' {foundAt} ms after the bridge began starting (host start took {rig.BridgeStartTook.TotalMilliseconds:0} ms)";
        output.WriteLine(line);
        if (Environment.GetEnvironmentVariable("BRIDGE_BENCH_OUT") is { Length: > 0 } file) File.AppendAllText(file, line + Environment.NewLine);
        Assert.Equal(120, discovered.List().Count(d => expected.Contains(d.Device.Id)));
    }
}
