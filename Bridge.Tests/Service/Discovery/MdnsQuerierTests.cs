using System.Diagnostics;
using Bridge.Service.Discovery;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Xunit.Abstractions;

namespace Bridge.Tests.Service.Discovery;

/// <summary>The bridge finds services that python3-zeroconf registers (test namespace only),
/// and lists them in <c>op:"discovered"</c>.</summary>
public sealed class MdnsQuerierTests(ITestOutputHelper output)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Discovered_needs_an_install_token()
    {
        await using var bridge = await TestBridge.StartAsync();
        await using var control = await bridge.ConnectAsync(TokenScope.Control);
        JsonAssert.Error(await control.RequestAsync(new { op = "discovered" }), "forbidden");
        await using var install = await bridge.ConnectAsync(TokenScope.Install);
        var reply = await install.RequestAsync(new { op = "discovered" });
        JsonAssert.Ok(reply);
        Assert.Equal(System.Text.Json.JsonValueKind.Array, reply.GetProperty("found").ValueKind);
    }

    [NetnsFact]
    public async Task Finds_a_Shelly_that_python_zeroconf_registers_and_drops_it_on_goodbye()
    {
        await using var bridge = await TestBridge.StartAsync();
        var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        const string id = "shellyplus1-a8032ab12345";
        var found = Changed(discovered, id, true);
        var clock = Stopwatch.StartNew();
        await using var shelly = await Zeroconf.Registration.StartAsync(Timeout, "_shelly._tcp.local.", id, 80, "gen=2", "app=Plus1");
        output.WriteLine($"python3-zeroconf registered after {clock.ElapsedMilliseconds} ms");
        await Wait.ForAsync(found, Timeout, "the Shelly in the discovered list");
        output.WriteLine($"found after {clock.ElapsedMilliseconds} ms");

        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        var reply = await client.RequestAsync(new { op = "discovered" });
        var entry = reply.GetProperty("found").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal("shelly", entry.GetProperty("protocol").GetString());
        Assert.Equal("127.0.0.1", entry.GetProperty("address").GetString());
        Assert.Equal(80, entry.GetProperty("port").GetInt32());
        Assert.Equal("mdns", entry.GetProperty("source").GetString());
        Assert.False(entry.GetProperty("adopted").GetBoolean());

        var lost = Changed(discovered, id, false);
        await shelly.UnregisterAsync(Timeout);
        await Wait.ForAsync(lost, Timeout, "the Shelly's goodbye");
        reply = await client.RequestAsync(new { op = "discovered" });
        Assert.DoesNotContain(reply.GetProperty("found").EnumerateArray(), e => e.GetProperty("id").GetString() == id);
    }

    [NetnsFact]
    public async Task Finds_ESPHome_and_identifiable_http_devices_but_not_others()
    {
        await using var bridge = await TestBridge.StartAsync();
        var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        var esphome = Changed(discovered, "kitchen-sensor", true);
        var tasmota = Changed(discovered, "tasmota-1a2b3c-1234", true);
        await using var a = await Zeroconf.Registration.StartAsync(Timeout, "_esphomelib._tcp.local.", "kitchen-sensor", 6053, "version=2024.6.0");
        await using var b = await Zeroconf.Registration.StartAsync(Timeout, "_http._tcp.local.", "tasmota-1a2b3c-1234", 80);
        await using var c = await Zeroconf.Registration.StartAsync(Timeout, "_http._tcp.local.", "My NAS", 5000);
        Assert.Equal(6053, (await Wait.ForAsync(esphome, Timeout, "the ESPHome node")).Port);
        Assert.Equal("tasmota", (await Wait.ForAsync(tasmota, Timeout, "the Tasmota web server")).Protocol);
        Assert.DoesNotContain(discovered.List(), d => d.Device.Name == "My NAS");
    }

    [NetnsFact]
    public async Task A_device_that_python_zeroconf_registers_with_IPv4_and_IPv6_is_listed_with_both_IPv4_as_address()
    {
        await using var bridge = await TestBridge.StartAsync();
        var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        const string id = "shellyplus1-a8032ab16666";
        var found = Changed(discovered, id, true);
        await using var shelly = await Zeroconf.Registration.StartAsync(Timeout, ["fd00::66", "127.0.0.1"], "_shelly._tcp.local.", id, 80, "gen=2");
        await Wait.ForAsync(found, Timeout, "the dual-stack Shelly in the discovered list");

        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        var reply = await client.RequestAsync(new { op = "discovered" });
        var entry = reply.GetProperty("found").EnumerateArray().Single(e => e.GetProperty("id").GetString() == id);
        Assert.Equal("127.0.0.1", entry.GetProperty("address").GetString());
        Assert.Equal(["127.0.0.1", "fd00::66"], entry.GetProperty("addresses").EnumerateArray().Select(a => a.GetString()));
    }

    private static Task<DiscoveredDevice> Changed(DiscoveredDevices discovered, string id, bool present)
    {
        var done = new TaskCompletionSource<DiscoveredDevice>(TaskCreationOptions.RunContinuationsAsynchronously);
        discovered.Changed += (d, p) =>
        {
            if (d.Id == id && p == present) done.TrySetResult(d);
        };
        if (present && discovered.List().FirstOrDefault(d => d.Device.Id == id).Device is { } already) done.TrySetResult(already);
        return done.Task;
    }
}
