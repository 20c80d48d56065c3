using System.Diagnostics;
using Bridge.Service.Discovery;
using Bridge.Simulator.Mdns;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Discovery;

/// <summary>Many simulated Shelly devices on mDNS (test namespace only): all found soon after
/// the bridge starts; one leaving is dropped once.</summary>
public sealed class MdnsCrowdTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [NetnsFact]
    public async Task A_hundred_simulated_Shellies_are_found_and_a_goodbye_drops_one()
    {
        await using var crowd = await MdnsShellyCrowd.StartAsync(100);
        var clock = Stopwatch.StartNew();
        await using var bridge = await TestBridge.StartAsync(null, false);
        var startedAt = clock.ElapsedMilliseconds;
        var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        var all = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (crowd.Ids.All(id => discovered.List().Any(d => d.Device.Id == id))) all.TrySetResult();
        }
        discovered.Changed += (_, _) => Check();
        Check();
        await all.Task.WaitAsync(Timeout);
        var foundAt = clock.ElapsedMilliseconds;
        output.WriteLine($"100 simulated Shelly devices found {foundAt} ms after the bridge began starting (host start took {startedAt} ms)");
        // Other tests' devices may be on the same namespace's loopback: look at the crowd's only.
        var ours = crowd.Ids.ToHashSet();
        Assert.All(discovered.List().Where(d => ours.Contains(d.Device.Id)), d => Assert.Equal(80, d.Device.Port));

        var leaving = crowd.Ids.First();
        var lost = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var losses = 0;
        discovered.Changed += (d, present) =>
        {
            if (d.Id != leaving || present) return;
            Interlocked.Increment(ref losses);
            lost.TrySetResult();
        };
        await crowd.LeaveAsync(leaving);
        await lost.Task.WaitAsync(Timeout);
        Assert.DoesNotContain(discovered.List(), d => d.Device.Id == leaving);
        Assert.Equal(99, discovered.List().Count(d => ours.Contains(d.Device.Id)));
        Assert.Equal(1, losses);
    }
}
