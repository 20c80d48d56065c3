using System.Buffers;
using Bridge.Protocols.Tasmota;
using Bridge.Service.Devices;
using Bridge.Service.Mqtt;
using Bridge.Service.Mqtt.Accounts;
using Bridge.Simulator.Tasmota;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Mqtt.Accounts;

/// <summary>The embedded broker's accounts and rights, tried with Debian's real mosquitto clients as a
/// guest's phone, a compromised plug and a well-behaved device would use them (issue 15).</summary>
public sealed class BrokerAccountsTests
{
    private const string RogueMac = "4C11AE0DEE01";
    private const string PorchMac = "4C11AE0DEE02";

    private sealed class Scene : IAsyncDisposable
    {
        public required TestBridge Bridge { get; init; }
        public required LogCapture Logs { get; init; }
        public int Port => Bridge.App.Services.GetRequiredService<EmbeddedBroker>().Port;
        public DeviceAccounts Accounts => Bridge.App.Services.GetRequiredService<DeviceAccounts>();

        public static async Task<Scene> StartAsync(params string[] args)
        {
            var logs = new LogCapture();
            var bridge = await TestBridge.StartAsync(null, true, s => s.AddSingleton<ILoggerProvider>(logs), args);
            return new Scene { Bridge = bridge, Logs = logs };
        }

        public IEnumerable<string> LogLines(LogLevel level, string containing) =>
            Logs.Events.Where(e => e.Level == level && e.Text.Contains(containing, StringComparison.Ordinal)).Select(e => e.Text);

        /// <summary>Neither a log line nor a file of the bridge holds <paramref name="password"/>.</summary>
        public void AssertNowhere(string password)
        {
            Assert.DoesNotContain(password, Logs.AllText);
            // Temporary files come and go while the bridge saves (they hold what the saved file will).
            foreach (var file in Directory.EnumerateFiles(Bridge.DataDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
                Assert.DoesNotContain(password, File.ReadAllText(file));
        }

        public ValueTask DisposeAsync() => Bridge.DisposeAsync();
    }

    [Fact]
    public async Task An_anonymous_client_is_refused_as_not_authorised_logged_once_and_switches_nothing()
    {
        await using var scene = await Scene.StartAsync();
        await using var api = await scene.Bridge.ConnectAsync();
        JsonAssert.Ok(await api.RequestAsync(new { op = "set", device = "lamp-1", state = new { power = "on" } }));
        using var guest = new MosquittoClient(scene.Port);

        var first = await guest.PublishAsync("-i", "guest-phone", "-t", "cmnd/lamp-1/POWER", "-m", "OFF");
        var second = await guest.PublishAsync("-i", "guest-phone", "-t", "cmnd/lamp-1/POWER", "-m", "OFF");

        Assert.NotEqual(0, first.Exit);
        Assert.Contains("not authorised", first.Output, StringComparison.OrdinalIgnoreCase);
        Assert.NotEqual(0, second.Exit);
        Assert.Equal("on", scene.Bridge.Home["lamp-1"].Snapshot()["power"]);
        var refusal = Assert.Single(scene.LogLines(LogLevel.Warning, "guest-phone"));
        Assert.Contains("127.0.0.1", refusal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused_as_bad_user_name_or_password_and_never_logged()
    {
        await using var scene = await Scene.StartAsync();
        using var impostor = new MosquittoClient(scene.Port, "lamp-1", "guessed-password-123");

        var (exit, output) = await impostor.PublishAsync("-i", "lamp-1", "-t", "stat/lamp-1/RESULT", "-m", "{\"POWER\":\"ON\"}");

        Assert.NotEqual(0, exit);
        Assert.Contains("bad user name or password", output, StringComparison.OrdinalIgnoreCase);
        Assert.Equal("off", scene.Bridge.Home["lamp-1"].Snapshot()["power"]);
        Assert.Single(scene.LogLines(LogLevel.Warning, "refused"));
        scene.AssertNowhere("guessed-password-123");
    }

    [Fact]
    public async Task A_device_account_can_neither_report_as_another_device_nor_hear_its_commands()
    {
        await using var scene = await Scene.StartAsync();
        await using var api = await scene.Bridge.ConnectAsync();
        var rogue = scene.Accounts.CreateFor("tasmota", "rogue-plug", new Dictionary<string, string> { ["mac"] = RogueMac });
        using var client = new MosquittoClient(scene.Port, rogue.Username, rogue.Password);

        // QoS 1 over MQTT 5: the broker's PUBACK carries its verdict, and the bridge has taken (or not)
        // the message before that PUBACK is sent.
        var forged = await client.PublishAsync("-V", "mqttv5", "-q", "1", "-i", "rogue-plug", "-t", "stat/lamp-1/RESULT", "-m", "{\"POWER\":\"ON\"}");
        Assert.Contains("not authorized", forged.Output, StringComparison.OrdinalIgnoreCase);
        var lamp = await api.RequestAsync(new { op = "get", device = "lamp-1" });
        Assert.Equal("off", lamp.GetProperty("device").GetProperty("state").GetProperty("power").GetString());

        using (var eavesdrop = client.Subscribe("-V", "mqttv5", "-i", "rogue-plug", "-t", "cmnd/lamp-1/#"))
            await eavesdrop.WaitLineAsync("denied");

        // Nor can it push the lamp off the broker by taking its client id.
        var takeover = await client.PublishAsync("-i", "lamp-1", "-t", "tele/rogue-plug/STATE", "-m", "{}");
        Assert.Contains("identifier rejected", takeover.Output, StringComparison.OrdinalIgnoreCase);
        Assert.True(scene.Bridge.Home["lamp-1"].IsConnected);

        // Its own topics are its to use.
        var own = await client.PublishAsync("-V", "mqttv5", "-q", "1", "-i", "rogue-plug", "-t", "tele/rogue-plug/STATE", "-m", "{\"POWER\":\"OFF\"}");
        Assert.Equal(0, own.Exit);
        Assert.DoesNotContain("not authorized", own.Output, StringComparison.OrdinalIgnoreCase);

        Assert.Contains(scene.LogLines(LogLevel.Warning, "may not publish"), l => l.Contains("rogue-plug") && l.Contains("stat/lamp-1/RESULT"));
        Assert.Contains(scene.LogLines(LogLevel.Warning, "may not subscribe"), l => l.Contains("rogue-plug") && l.Contains("cmnd/lamp-1/#"));
        scene.AssertNowhere(rogue.Password);
    }

    [Fact]
    public async Task A_device_with_its_account_is_found_and_confirms_a_set_end_to_end()
    {
        await using var scene = await Scene.StartAsync();
        await using var api = await scene.Bridge.ConnectAsync();
        var account = scene.Accounts.CreateFor("tasmota", "porch-plug", new Dictionary<string, string> { ["mac"] = PorchMac });
        using var device = new MosquittoClient(scene.Port, account.Username, account.Password);
        var config = Path.Combine(scene.Bridge.DataDir, "porch-plug-config.json");
        var buffer = new ArrayBufferWriter<byte>();
        TasmotaDiscoveryConfigWriter.Write(new TasmotaRelayPlug("porch-plug", "Porch plug", PorchMac).DiscoveryConfig(), buffer);
        await File.WriteAllBytesAsync(config, buffer.WrittenSpan.ToArray());

        Assert.Equal(0, (await device.PublishAsync("-q", "1", "-r", "-i", "porch-plug", "-t", "tele/porch-plug/LWT", "-m", "Online")).Exit);
        Assert.Equal(0, (await device.PublishAsync("-q", "1", "-r", "-i", "porch-plug", "-t", TasmotaDiscoveryTopics.Config(PorchMac), "-f", config)).Exit);
        var registry = scene.Bridge.App.Services.GetRequiredService<DeviceRegistry>();
        await Wait.UntilAsync(() => registry.TryGet("porch-plug", out var d) && d.Online, TimeSpan.FromSeconds(20), "porch-plug online");

        using var commands = device.Subscribe("-d", "-v", "-i", "porch-plug-cmnd", "-t", "cmnd/porch-plug/#");
        await commands.WaitLineAsync("SUBACK");
        var set = api.RequestAsync(new { op = "set", device = "porch-plug", state = new { power = "on" } });
        var command = await commands.WaitLineAsync("cmnd/porch-plug/");
        Assert.Contains("ON", command, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(0, (await device.PublishAsync("-q", "1", "-i", "porch-plug", "-t", "stat/porch-plug/RESULT", "-m", "{\"POWER\":\"ON\"}")).Exit);

        var reply = await set;
        JsonAssert.Ok(reply);
        Assert.Equal("on", reply.GetProperty("state").GetProperty("power").GetString());
        scene.AssertNowhere(account.Password);
    }

    [Fact]
    public async Task AllowAnonymous_lets_a_client_without_an_account_in_again_with_a_warning_but_still_checks_passwords()
    {
        await using var scene = await Scene.StartAsync("--Mqtt:AllowAnonymous=true");
        using var guest = new MosquittoClient(scene.Port);

        var (exit, output) = await guest.PublishAsync("-q", "1", "-i", "old-tasmota", "-t", "cmnd/lamp-1/POWER", "-m", "ON");

        Assert.True(exit == 0, output);
        await Wait.UntilAsync(() => "on".Equals(scene.Bridge.Home["lamp-1"].Snapshot()["power"]), TimeSpan.FromSeconds(10), "lamp-1 switched on by an anonymous client");
        Assert.Single(scene.LogLines(LogLevel.Warning, "Mqtt:AllowAnonymous is on"));
        using var impostor = new MosquittoClient(scene.Port, "lamp-1", "guessed-password-123");
        Assert.Contains("bad user name or password", (await impostor.PublishAsync("-i", "impostor", "-t", "stat/lamp-1/RESULT", "-m", "x")).Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_account_by_hand_gets_its_protocols_rights_with_the_password_from_a_file()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-manual-account-").FullName;
        try
        {
            var passwordFile = Path.Combine(dir, "porch.pw");
            await File.WriteAllTextAsync(passwordFile, "typed-into-a-Tasmota-7\n");
            await using var scene = await Scene.StartAsync("--Mqtt:Accounts:0:Username=porch", $"--Mqtt:Accounts:0:PasswordFile={passwordFile}",
                "--Mqtt:Accounts:0:Protocol=tasmota", "--Mqtt:Accounts:0:Device=porch-plug", $"--Mqtt:Accounts:0:Mac={PorchMac}");
            using var device = new MosquittoClient(scene.Port, "porch", "typed-into-a-Tasmota-7");

            var own = await device.PublishAsync("-V", "mqttv5", "-q", "1", "-i", "porch", "-t", "tele/porch-plug/LWT", "-m", "Online");
            var other = await device.PublishAsync("-V", "mqttv5", "-q", "1", "-i", "porch", "-t", "tele/lamp-1/LWT", "-m", "Offline");

            Assert.Equal(0, own.Exit);
            Assert.DoesNotContain("not authorized", own.Output, StringComparison.OrdinalIgnoreCase);
            Assert.Contains("not authorized", other.Output, StringComparison.OrdinalIgnoreCase);
            scene.AssertNowhere("typed-into-a-Tasmota-7");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
