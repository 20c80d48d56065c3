using Bridge.Simulator.Home;
using System.Diagnostics;
using Bridge.Service.Discovery;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;
using Bridge.Simulator;
using Bridge.Simulator.Mdns;
using Bridge.Simulator.Shelly;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Adoption;

/// <summary>The whole path a user takes (test namespace only): a simulated Shelly from a scenario, not
/// yet adopted, announces itself on mDNS; the bridge lists it, adopts it, and then controls it over MQTT.</summary>
public sealed class AdoptOverMdnsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private const string Id = "shellyplusplugs-a8032ab0e2e1";

    [NetnsFact]
    public async Task A_Shelly_found_by_mDNS_is_adopted_and_then_switched_with_confirmed_state()
    {
        await using var bridge = await TestBridge.StartAsync(null, false);
        var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        var found = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        discovered.Changed += (d, present) =>
        {
            if (d.Id == Id && present) found.TrySetResult();
        };
        await using var home = SimulatedHome.FromScenario($$"""{"devices":[{"protocol":"shelly","type":"plug","id":"{{Id}}","name":"Desk plug","adopted":false}]}""");
        await home.StartAsync("127.0.0.1", bridge.App.Services.GetRequiredService<EmbeddedBroker>().Port);
        var announced = new[] { Assert.IsAssignableFrom<ShellyDevice>(home[Id]).LocalRpc! };
        Assert.False(home[Id].IsConnected); // MQTT off until adopted
        await using var mdns = await MdnsShellyCrowd.StartAsync(announced);
        await Wait.ForAsync(found.Task, Patience, "the unadopted Shelly in the discovered list");

        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        var entry = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(e => e.GetProperty("id").GetString() == Id);
        Assert.Equal(announced[0].Port, entry.GetProperty("port").GetInt32());
        Assert.False(entry.GetProperty("adopted").GetBoolean());

        var clock = Stopwatch.StartNew();
        var adopted = await client.RequestAsync(new { op = "adopt", device = Id }, Patience);
        output.WriteLine($"adopt answered after {clock.ElapsedMilliseconds} ms");
        JsonAssert.Ok(adopted);
        Assert.True(adopted.GetProperty("device").GetProperty("online").GetBoolean());

        var set = await client.RequestAsync(new { op = "set", device = Id, state = new { power = "on" } });
        JsonAssert.Ok(set);
        Assert.Equal("on", home[Id].Snapshot()["power"]);
        entry = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray().Single(e => e.GetProperty("id").GetString() == Id);
        Assert.True(entry.GetProperty("adopted").GetBoolean());
    }
}
