using System.Net;
using Bridge.Protocols.Yeelight;
using Bridge.Service.Discovery;
using Bridge.Service.Drivers.Yeelight;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Drivers.Yeelight;

/// <summary>Yeelight discovery by multicast (test namespace only): the search on the group, the
/// bulbs' NOTIFY adverts, a bulb that moves. Each test uses a search port of its own.</summary>
public sealed class YeelightMulticastTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [NetnsFact]
    public async Task Twenty_bulbs_are_found_by_the_multicast_search_soon_after_start()
    {
        await using var rig = await YeelightRig.StartAsync(20, multicast: true, extra: ["--Discovery:Yeelight:SearchInterval=01:00:00", "--Discovery:Yeelight:MaxSearchInterval=01:00:00"]);
        var discovered = rig.Bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        await rig.WaitRegistryAsync(() => rig.Bulbs.All(b => discovered.List().Any(d => d.Device.Id == b.DeviceId)), Timeout, "every bulb discovered");
        var foundAt = rig.SinceBridgeStart.ElapsedMilliseconds;
        await rig.WaitAllOnlineAsync(Timeout);
        var onlineAt = rig.SinceBridgeStart.ElapsedMilliseconds;
        output.WriteLine($"20 simulated Yeelight bulbs in 'discovered' {foundAt} ms and online with their state read {onlineAt} ms after the bridge began starting (host start took {rig.BridgeStartTook.TotalMilliseconds:0} ms)");
        Assert.All(rig.Bulbs, b => Assert.Single(discovered.List(), d => d.Device.Id == b.DeviceId && d.Device.Protocol == "yeelight" && d.Adopted));
    }

    [NetnsFact]
    public async Task A_bulb_that_appears_later_is_found_by_its_notify_advert()
    {
        // One search at start, the next an hour later: only the advert can find the late bulb.
        await using var rig = await YeelightRig.StartAsync(0, multicast: true, extra: ["--Discovery:Yeelight:SearchInterval=01:00:00", "--Discovery:Yeelight:MaxSearchInterval=01:00:00"]);
        var late = YeelightRig.MakeBulbs(1)[0];
        await using var _ = late;
        await late.StartAsync(true, multicastPort: rig.SearchPort);
        await rig.WaitRegistryAsync(() => rig.Registry.TryGet(late.DeviceId, out var d) && d.Online, Timeout, "the late bulb online");
    }

    [NetnsFact]
    public async Task A_bulb_at_a_new_address_is_updated_not_duplicated()
    {
        await using var rig = await YeelightRig.StartAsync(1, multicast: true, extra: ["--Discovery:Yeelight:ReconnectMin=00:00:00.2", "--Discovery:Yeelight:ReconnectMax=00:00:01"]);
        await rig.WaitAllOnlineAsync(Timeout);
        var bulb = rig.Bulbs[0];
        var before = rig.Registry.Count;

        await bulb.ComeBackAsync(IPAddress.Parse("127.0.0.2"));
        await rig.WaitRegistryAsync(() => rig.Registry.TryGet(bulb.DeviceId, out var d) && d.Online && d.Binding["host"] == "127.0.0.2", Timeout, "the bulb online at 127.0.0.2");
        Assert.Equal(before, rig.Registry.Count);
        await using var client = await rig.Bridge.ConnectAsync(Bridge.Service.Security.TokenScope.Install);
        var found = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray()
            .Where(f => f.GetProperty("id").GetString() == bulb.DeviceId).ToArray();
        Assert.Equal("127.0.0.2", Assert.Single(found).GetProperty("address").GetString());
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { power = "on" } }));
    }

    [NetnsFact]
    public async Task A_late_answer_from_a_moved_bulbs_old_address_does_not_pull_it_back()
    {
        await using var rig = await YeelightRig.StartAsync(1, multicast: true, extra: ["--Discovery:Yeelight:SearchInterval=01:00:00", "--Discovery:Yeelight:MaxSearchInterval=01:00:00",
            "--Discovery:Yeelight:ReconnectMin=00:00:00.2", "--Discovery:Yeelight:ReconnectMax=00:00:01"]);
        await rig.WaitAllOnlineAsync(Timeout);
        var bulb = rig.Bulbs[0];
        var oldPort = bulb.ControlPort;
        await bulb.ComeBackAsync(IPAddress.Parse("127.0.0.2"));
        await rig.WaitRegistryAsync(() => rig.Registry.TryGet(bulb.DeviceId, out var d) && d.Online && d.Binding["host"] == "127.0.0.2", Timeout, "the bulb online at 127.0.0.2");

        // The answer to a search sent just before the move, read only after the bulb's NOTIFY from its new address.
        await rig.Bridge.App.Services.GetRequiredService<YeelightBulbs>().SeenAsync(new YeelightAdvert
        {
            Id = bulb.YeelightId, Host = "127.0.0.1", Port = oldPort, Model = bulb.Model, Name = bulb.Name,
            Support = ["get_prop", "set_default", "set_power", "toggle", "set_bright", "set_ct_abx", "set_name"],
        });

        Assert.True(rig.Registry.TryGet(bulb.DeviceId, out var device) && device.Online, "the bulb stays online");
        Assert.Equal("127.0.0.2", device!.Binding["host"]);
        await using var client = await rig.Bridge.ConnectAsync(Bridge.Service.Security.TokenScope.Install);
        var found = (await client.RequestAsync(new { op = "discovered" })).GetProperty("found").EnumerateArray()
            .Where(f => f.GetProperty("id").GetString() == bulb.DeviceId).ToArray();
        Assert.Equal("127.0.0.2", Assert.Single(found).GetProperty("address").GetString());
        JsonAssert.Ok(await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { power = "on" } }));
        Assert.Equal("on", bulb.Snapshot()["power"]);
    }

    [NetnsFact]
    public async Task A_bulb_that_moves_without_closing_its_old_connection_is_followed_to_its_new_address()
    {
        await using var rig = await YeelightRig.StartAsync(1, multicast: true, extra: ["--Discovery:Yeelight:SearchInterval=01:00:00", "--Discovery:Yeelight:MaxSearchInterval=01:00:00"]);
        await rig.WaitAllOnlineAsync(Timeout);
        var bulb = rig.Bulbs[0];

        // The old connection stays open and silent (no FIN): only the NOTIFY from 127.0.0.3 says it moved.
        await bulb.MoveWithoutGoodbyeAsync(IPAddress.Parse("127.0.0.3"));
        await rig.WaitRegistryAsync(() => rig.Registry.TryGet(bulb.DeviceId, out var d) && d.Online && d.Binding["host"] == "127.0.0.3", Timeout, "the bulb online at 127.0.0.3");

        await using var client = await rig.Bridge.ConnectAsync(Bridge.Service.Security.TokenScope.Install);
        var reply = await client.RequestAsync(new { op = "set", device = bulb.DeviceId, state = new { power = "on" } });
        JsonAssert.Ok(reply);
        Assert.Equal("on", bulb.Snapshot()["power"]);
    }
}
