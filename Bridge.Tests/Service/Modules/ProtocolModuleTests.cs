using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Bridge.Service.Adoption;
using Bridge.Service.Discovery;
using Bridge.Service.Hosting;
using Bridge.Service.Modules;
using Bridge.Service.Secrets;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Modules;

/// <summary>A protocol added as one module (<see cref="AcmeModule"/>) and one line gets its options
/// checked at start, its devices found by its own UDP search and listed, declared ones too, and its
/// adopter handed the key, which lands in the secret store and never in the log.</summary>
public sealed class ProtocolModuleTests
{
    private const string Key = "k3y-0f-the-acme-plug";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public void A_modules_option_problems_are_reported_with_everyone_elses()
    {
        var problems = new List<string>();
        var app = BridgeApp.Create(["--Api:Port=70000", "--Acme:ListenPort=0"], problems, s => s.AddProtocol<AcmeModule>(new ConfigurationBuilder().Build()));
        Assert.Null(app);
        Assert.Contains(problems, p => p.StartsWith("Acme:ListenPort must be 1..65535", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("Api:Port"));
    }

    [Fact]
    public void The_same_protocol_added_twice_is_refused()
    {
        var services = new ServiceCollection();
        var config = new ConfigurationBuilder().Build();
        services.AddProtocol<AcmeModule>(config);
        Assert.Throws<InvalidOperationException>(() => services.AddProtocol<AcmeModule>(config));
    }

    [Fact]
    public void A_declared_device_of_a_protocol_nobody_adopts_is_a_start_up_problem()
    {
        var problems = new List<string>();
        Assert.Null(BridgeApp.Create(["--Api:Port=0", "--Mqtt:Port=0", "--Devices:Static:0:Protocol=zigbee", "--Devices:Static:0:Id=z-1",
            "--Devices:Static:0:Address=10.0.0.9", "--Devices:Static:1:Protocol=shelly", "--Devices:Static:1:Id=s-1", "--Devices:Static:1:Address=not-an-address"], problems));
        Assert.Contains(problems, p => p.StartsWith("Devices:Static:0:Protocol 'zigbee' is not one the bridge adopts (", StringComparison.Ordinal) && p.Contains("shelly"));
        Assert.Contains(problems, p => p.StartsWith("Devices:Static:1:Address must be an IPv4 address", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Its_UDP_search_finds_devices_that_answer_the_probe_and_that_announce_themselves()
    {
        using var device = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        var listenPort = FreePort.GetUdp();
        await using var bridge = await StartAsync(listenPort, $"--Acme:Targets:0=127.0.0.1:{((IPEndPoint)device.Client.LocalEndPoint!).Port}");
        // The probe arrives at the device's address, which answers the sender, as devices do.
        var probe = await device.ReceiveAsync().WaitAsync(Timeout);
        Assert.Equal(AcmeSearch.Probe, probe.Buffer);
        await device.SendAsync(Encoding.ASCII.GetBytes("ACME answering-1"), probe.RemoteEndPoint);
        // Another one announces itself on the listened port; a foreign datagram there is ignored.
        using var other = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        await other.SendAsync("HELLO?"u8.ToArray(), new IPEndPoint(IPAddress.Loopback, listenPort));
        await other.SendAsync(Encoding.ASCII.GetBytes("ACME announcing-2"), new IPEndPoint(IPAddress.Loopback, listenPort));

        var discovered = bridge.App.Services.GetRequiredService<DiscoveredDevices>();
        await Wait.UntilAsync(() => discovered.Find("acme-answering-1") is not null && discovered.Find("acme-announcing-2") is not null, Timeout, "both acme devices found");
        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        var found = (await client.RequestAsync(new { id = "1", op = "discovered" })).GetProperty("found").EnumerateArray()
            .Where(f => f.GetProperty("protocol").GetString() == "acme").Select(f => (f.GetProperty("id").GetString(), f.GetProperty("source").GetString(), f.GetProperty("adopted").GetBoolean()));
        Assert.Equal([("acme-announcing-2", "udp", false), ("acme-answering-1", "udp", false)], found.Order());
    }

    [Fact]
    public async Task Adopt_hands_the_key_to_the_protocols_adopter_which_keeps_it_out_of_the_log()
    {
        var logs = new LogCapture();
        await using var bridge = await StartAsync(FreePort.GetUdp(), logs,
            "--Devices:Static:0:Protocol=acme", "--Devices:Static:0:Id=acme-plug-1", "--Devices:Static:0:Address=192.0.2.7:6668");
        await using var client = await bridge.ConnectAsync(TokenScope.Install);

        var listed = (await client.RequestAsync(new { id = "1", op = "discovered" })).GetProperty("found").EnumerateArray().Single(f => f.GetProperty("id").GetString() == "acme-plug-1");
        Assert.Equal(("acme", "192.0.2.7", 6668, "static", false), (listed.GetProperty("protocol").GetString(), listed.GetProperty("address").GetString(),
            listed.GetProperty("port").GetInt32(), listed.GetProperty("source").GetString(), listed.GetProperty("adopted").GetBoolean()));

        JsonAssert.Error(await client.RequestAsync(new { id = "2", op = "adopt", device = "acme-plug-1", key = Key, token = "both" }), "bad_request");
        JsonAssert.Error(await client.RequestAsync(new { id = "3", op = "adopt", device = "acme-plug-1" }), "bad_request");
        var adopted = await client.RequestAsync(new { id = "4", op = "adopt", device = "acme-plug-1", key = Key });
        JsonAssert.Ok(adopted);
        Assert.Equal(("acme-plug-1", "acme", true), (adopted.GetProperty("device").GetProperty("id").GetString(),
            adopted.GetProperty("device").GetProperty("protocol").GetString(), adopted.GetProperty("device").GetProperty("online").GetBoolean()));

        var request = bridge.App.Services.GetRequiredService<AcmeAdopter>().Requests.Last();
        Assert.Equal(IPAddress.Parse("192.0.2.7"), request.Found!.Address);
        Assert.True(bridge.App.Services.GetRequiredService<ISecretStore>().TryGet("device/acme-plug-1/key", out var kept));
        Assert.Equal(Key, kept);
        Assert.DoesNotContain(Key, logs.AllText, StringComparison.Ordinal);
        // What the store writes for the adopted device (it saves a moment after a change, and at stop).
        bridge.App.Services.GetRequiredService<Bridge.Service.Devices.DeviceStore>().Save(bridge.App.Services.GetRequiredService<Bridge.Service.Devices.DeviceRegistry>().All());
        Assert.DoesNotContain(Key, await File.ReadAllTextAsync(Path.Combine(bridge.DataDir, "devices.json")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_declared_device_with_its_key_is_adopted_at_start()
    {
        var logs = new LogCapture();
        await using var bridge = await StartAsync(FreePort.GetUdp(), logs,
            "--Devices:Static:0:Protocol=acme", "--Devices:Static:0:Id=acme-plug-2", "--Devices:Static:0:Address=192.0.2.8", $"--Devices:Static:0:Key={Key}");
        var registry = bridge.App.Services.GetRequiredService<Bridge.Service.Devices.DeviceRegistry>();
        await Wait.UntilAsync(() => registry.TryGet("acme-plug-2", out var d) && d.Online, Timeout, "the declared device adopted");
        Assert.Equal(0, bridge.App.Services.GetRequiredService<DiscoveredDevices>().Find("acme-plug-2")!.Port);
        Assert.DoesNotContain(Key, logs.AllText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_device_whose_protocol_adopts_nothing_is_refused_by_name()
    {
        await using var bridge = await StartAsync(FreePort.GetUdp());
        bridge.App.Services.GetRequiredService<DiscoveredDevices>().Found(new DiscoveredDevice("kitchen-sensor", "esphome", IPAddress.Loopback, 6053, "kitchen", "mdns"));
        await using var client = await bridge.ConnectAsync(TokenScope.Install);
        var reply = await client.RequestAsync(new { id = "1", op = "adopt", device = "kitchen-sensor" });
        JsonAssert.Error(reply, "bad_request");
        Assert.Contains("esphome device, which the bridge cannot adopt (it adopts acme, ", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.Contains(", shelly", reply.GetProperty("error").GetProperty("message").GetString());
    }

    private static Task<TestBridge> StartAsync(int listenPort, params string[] extra) => StartAsync(listenPort, null, extra);

    private static Task<TestBridge> StartAsync(int listenPort, LogCapture? logs, params string[] extra) =>
        TestBridge.StartAsync(null, false, s =>
        {
            s.AddProtocol<AcmeModule>(new ConfigurationBuilder().Build());
            if (logs is not null) s.AddSingleton<ILoggerProvider>(logs);
        }, [$"--Acme:ListenPort={listenPort}", .. extra]);
}
