using Bridge.Tests.Service.Drivers.Tuya;
using Bridge.Protocols.Dns;
using Bridge.Protocols.Miio;
using Bridge.Protocols.Model;
using Bridge.Service.Hosting;
using Bridge.Service.Devices;
using Bridge.Service.Drivers.Miio;
using Bridge.Service.Security;
using Bridge.Simulator.Miio;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Miio;

/// <summary>What an installer configures for Xiaomi devices: a device on another subnet declared with
/// its token, the poll interval, and which profile a model gets; and how mDNS names are read.</summary>
public sealed class MiioConfigurationTests
{
    [Fact]
    public async Task A_declared_device_with_its_token_is_adopted_at_start_and_controllable()
    {
        await using var heater = MiioRig.WaterHeater();
        await heater.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);
        var logs = new LogCapture();
        await using var bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs),
            "--Discovery:BeaconPort=0", "--Discovery:Miio:Enabled=false", "--Devices:Static:0:Protocol=miio", $"--Devices:Static:0:Id={heater.DeviceId}",
            $"--Devices:Static:0:Address={heater.Address}", $"--Devices:Static:0:Token={MiioRig.Token}", "--Devices:Static:0:Name=Bathroom heater");
        var registry = bridge.App.Services.GetRequiredService<DeviceRegistry>();
        var online = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        registry.AvailabilityChanged += (d, on) => { if (d.Id == heater.DeviceId && on) online.TrySetResult(); };
        if (!(registry.TryGet(heater.DeviceId, out var known) && known.Online)) await online.Task.WaitAsync(TimeSpan.FromSeconds(15));

        await using var client = await bridge.ConnectAsync(TokenScope.Control);
        var reply = await client.RequestAsync(new { op = "set", device = heater.DeviceId, state = new { target_temperature = 55 } });
        JsonAssert.Ok(reply);
        Assert.Equal(55, heater.Value(2, 2).GetInt32());
        var device = (await client.RequestAsync(new { op = "get", device = heater.DeviceId })).GetProperty("device");
        Assert.Equal("Bathroom heater", device.GetProperty("name").GetString());
        Assert.DoesNotContain(MiioRig.Token, logs.AllText, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Bad_settings_are_all_reported_at_start_without_echoing_the_token()
    {
        const string badToken = "0123456789abcdef0123456789abcdefAA";
        var problems = new List<string>();
        var app = BridgeApp.Create(["--Api:Port=0", "--Mqtt:Port=0", $"--Data:Dir={Directory.CreateTempSubdirectory("bridge-test-").FullName}",
            "--Discovery:Miio:PollInterval=00:00:00.2", "--Discovery:Miio:Retries=9", "--Discovery:Miio:Targets:0=nowhere",
            "--Devices:Static:0:Protocol=miio", "--Devices:Static:0:Id=miio-12", "--Devices:Static:0:Address=192.168.2.40", $"--Devices:Static:0:Token={badToken}"], problems);
        Assert.Null(app);
        var all = string.Join("\n", problems);
        Assert.Contains("Discovery:Miio:PollInterval must be between 00:00:01", all);
        Assert.Contains("Discovery:Miio:Retries must be 0..5", all);
        Assert.Contains("Discovery:Miio:Targets: 'nowhere'", all);
        Assert.Contains("Devices:Static:0:Token: a miIO token is 32 hex digits, this one has 34 characters", all);
        Assert.DoesNotContain(badToken, all, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("xiaomi.aircondition.mc4", "miio-ac")]
    [InlineData("xiaomi.aircondition.mc1", "miio-ac")]
    [InlineData("yeelink.light.bslamp2", "miio-ct-lamp")]
    [InlineData("viomi.waterheater.e8", "miio-water-heater")]
    [InlineData("xiaomi.aircondition.ma2", null)]
    public void The_profile_is_chosen_by_the_model_miio_info_reports(string model, string? profile)
    {
        var problems = new List<string>();
        var catalog = ProfileCatalog.Load(Path.Combine(TuyaPeers.Directory, "..", "..", "..", "configs", "devices"), problems);
        Assert.Empty(problems);
        var chosen = catalog.ForDriver("miio").Where(p => MiioMapping.Matches(p, model)).OrderByDescending(p => p.Priority).FirstOrDefault();
        Assert.Equal(profile, chosen?.Id);
        foreach (var p in catalog.ForDriver("miio"))
        {
            MiioMapping.Parse(p, problems);
            Assert.Empty(problems);
        }
    }

    [Theory]
    [InlineData("yeelink-light-bslamp2_miio123456789", "miio-123456789")]
    [InlineData("xiaomi-aircondition-mc4_miio77", "miio-77")]
    [InlineData("viomi-waterheater-e8_miio", null)]
    [InlineData("some-printer", null)]
    public void An_mdns_instance_of_miio_names_the_device_id(string label, string? id)
    {
        var identity = new MiioMdnsMatcher().Identify(MiioMdnsMatcher.ServiceType, label, new Dictionary<string, string?>());
        Assert.Equal(id, identity?.Id);
        if (id is not null) Assert.Equal("miio", identity!.Value.Protocol);
    }
}
