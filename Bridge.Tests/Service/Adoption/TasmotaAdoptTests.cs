using System.Text.Json;
using Bridge.Service.Discovery;
using Bridge.Service.Mqtt;
using Bridge.Service.Mqtt.Accounts;
using Bridge.Service.Security;
using Bridge.Simulator.Tasmota;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Adoption;

/// <summary><c>adopt</c> for a Tasmota on the Wi-Fi but on no broker (issues 11 and 15), on real sockets: the
/// simulated device's HTTP command API, the bridge's embedded broker with accounts, Tasmota discovery, and
/// Debian's real mosquitto clients for what the broker refuses.</summary>
public sealed class TasmotaAdoptTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);
    private const string WebPassword = "web-pw-Kq81zT";

    private sealed class Scene : IAsyncDisposable
    {
        public required TestBridge Bridge { get; init; }
        public required LogCapture Logs { get; init; }
        public required FreshTasmota Tasmota { get; init; }
        public required ApiClient Client { get; init; }
        public required string FoundId { get; init; }
        public int BrokerPort => Bridge.App.Services.GetRequiredService<EmbeddedBroker>().Port;
        public DeviceAccounts Accounts => Bridge.App.Services.GetRequiredService<DeviceAccounts>();

        public static async Task<Scene> StartAsync(string mac, string? webPassword = null, Action<TasmotaDevice>? faults = null, params string[] args)
        {
            var logs = new LogCapture();
            var bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<ILoggerProvider>(logs), args);
            var tasmota = await UnadoptedTasmota.StartAsync(mac, webPassword);
            faults?.Invoke(tasmota.Device);
            var found = tasmota.AnnounceTo(bridge.App.Services.GetRequiredService<DiscoveredDevices>());
            return new Scene { Bridge = bridge, Logs = logs, Tasmota = tasmota, Client = await bridge.ConnectAsync(TokenScope.Install), FoundId = found };
        }

        /// <summary>Neither a log line nor a file of the bridge holds <paramref name="secret"/>.</summary>
        public void AssertNowhere(string secret)
        {
            Assert.DoesNotContain(secret, Logs.AllText);
            foreach (var file in Directory.EnumerateFiles(Bridge.DataDir, "*", SearchOption.AllDirectories).Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal)))
                Assert.DoesNotContain(secret, File.ReadAllText(file));
        }

        public async ValueTask DisposeAsync()
        {
            await Client.DisposeAsync();
            await Tasmota.DisposeAsync();
            await Bridge.DisposeAsync();
        }
    }

    private static string Message(JsonElement reply) => reply.GetProperty("error").GetProperty("message").GetString()!;

    [Fact]
    public async Task A_Tasmota_found_by_mDNS_gets_the_broker_and_its_own_account_joins_with_it_and_confirms_a_set()
    {
        await using var scene = await Scene.StartAsync("A4CF12A00001");
        var tasmota = scene.Tasmota;
        Assert.Equal("tasmota-a00001-0001", scene.FoundId);

        var reply = await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId }, Patience);

        JsonAssert.Ok(reply);
        var device = reply.GetProperty("device");
        Assert.Equal(tasmota.Topic, device.GetProperty("id").GetString());
        Assert.Equal("tasmota", device.GetProperty("protocol").GetString());
        Assert.True(device.GetProperty("online").GetBoolean());
        // It was given this broker and an account of its own, kept by the bridge only hashed.
        var given = tasmota.Device.ActiveMqttSettings;
        Assert.Equal(("127.0.0.1", scene.BrokerPort, tasmota.Topic), (given.Host, given.Port, given.User));
        Assert.Equal(32, given.Password.Length);
        var account = Assert.Single(scene.Accounts.All(), a => a.Username == tasmota.Topic);
        Assert.Equal(tasmota.Mac, account.Facts["mac"]);
        Assert.True(tasmota.Device.IsConnected);

        var set = await scene.Client.RequestAsync(new { op = "set", device = tasmota.Topic, state = new { power = "on" } });
        JsonAssert.Ok(set);
        Assert.Equal("on", set.GetProperty("state").GetProperty("power").GetString());
        Assert.Equal("on", tasmota.Device.Snapshot()["power"]);

        // The account works for that device's own topics from outside too, and only with its password.
        using var asDevice = new MosquittoClient(scene.BrokerPort, tasmota.Topic, given.Password);
        Assert.Equal(0, (await asDevice.PublishAsync("-i", "tasmota-check", "-t", $"tele/{tasmota.Topic}/STATE", "-m", "{}")).Exit);
        // The requests to the device are logged with their query (which carried the passwords) redacted, and
        // the adoption is logged: the log is captured, and holds the password nowhere.
        Assert.Contains("/cm?*", scene.Logs.AllText);
        Assert.Contains(scene.Logs.Events, e => e.Category.EndsWith("TasmotaAdopter", StringComparison.Ordinal) && e.Text.StartsWith("Adopted", StringComparison.Ordinal));
        scene.AssertNowhere(given.Password);
    }

    [Fact]
    public async Task A_Tasmota_with_a_web_password_is_adopted_by_address_and_listed_as_adopted()
    {
        await using var scene = await Scene.StartAsync("A4CF12A00002", WebPassword);
        var tasmota = scene.Tasmota;

        var reply = await scene.Client.RequestAsync(new { op = "adopt", address = tasmota.EndPoint.ToString(), password = WebPassword }, Patience);

        JsonAssert.Ok(reply);
        Assert.Equal(tasmota.Topic, reply.GetProperty("device").GetProperty("id").GetString());
        Assert.True(tasmota.Device.IsConnected);
        var found = await scene.Client.RequestAsync(new { op = "discovered" });
        var entry = found.GetProperty("found").EnumerateArray().Single(e => e.GetProperty("id").GetString() == tasmota.Topic);
        Assert.Equal("address", entry.GetProperty("source").GetString());
        Assert.True(entry.GetProperty("adopted").GetBoolean());
        JsonAssert.Ok(await scene.Client.RequestAsync(new { op = "set", device = tasmota.Topic, state = new { power = "on" } }));
        scene.AssertNowhere(WebPassword);
        scene.AssertNowhere(tasmota.Device.ActiveMqttSettings.Password);
    }

    [Fact]
    public async Task A_wrong_or_missing_web_password_fails_clearly_and_changes_nothing()
    {
        await using var scene = await Scene.StartAsync("A4CF12A00003", WebPassword);
        var tasmota = scene.Tasmota;

        var wrong = await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId, password = "not-the-web-pw" }, Patience);
        var none = await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId }, Patience);

        JsonAssert.Error(wrong, "provision_failed");
        Assert.Contains("refused the web password", Message(wrong));
        Assert.Contains("left untouched", Message(wrong));
        JsonAssert.Error(none, "provision_failed");
        Assert.Contains("has a web password", Message(none));
        Assert.Equal("", tasmota.Device.MqttSettings.Host);
        Assert.Equal(0, tasmota.Device.Restarts);
        Assert.DoesNotContain(scene.Accounts.All(), a => a.Username == tasmota.Topic);
        scene.AssertNowhere("not-the-web-pw");
        scene.AssertNowhere(WebPassword);
    }

    [Fact]
    public async Task After_remove_it_is_forgotten_keeps_its_own_account_and_comes_back_as_new_while_anonymous_clients_stay_out()
    {
        await using var scene = await Scene.StartAsync("A4CF12A00004");
        var tasmota = scene.Tasmota;
        JsonAssert.Ok(await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId }, Patience));
        var password = tasmota.Device.ActiveMqttSettings.Password;
        await tasmota.Device.GoOfflineAsync();

        JsonAssert.Ok(await scene.Client.RequestAsync(new { op = "remove", device = tasmota.Topic }));
        var devices = await scene.Client.RequestAsync(new { op = "devices" });
        Assert.DoesNotContain(devices.GetProperty("devices").EnumerateArray(), d => d.GetProperty("id").GetString() == tasmota.Topic);

        // The contract: a device that announces itself again comes back as new. Its account is what
        // lets it announce itself on the embedded broker, so remove keeps it.
        Assert.Contains(scene.Accounts.All(), a => a.Username == tasmota.Topic);
        await tasmota.Device.ComeBackAsync();
        await Wait.UntilAsync(async () =>
        {
            var list = await scene.Client.RequestAsync(new { op = "devices" });
            return list.GetProperty("devices").EnumerateArray().Any(d => d.GetProperty("id").GetString() == tasmota.Topic);
        }, Patience, "the removed Tasmota listed again once it reconnected with its own account");

        using var anonymous = new MosquittoClient(scene.BrokerPort);
        var asGuest = await anonymous.PublishAsync("-i", "guest", "-t", $"cmnd/{tasmota.Topic}/POWER", "-m", "ON");
        Assert.NotEqual(0, asGuest.Exit);
        Assert.Contains("not authorised", asGuest.Output, StringComparison.OrdinalIgnoreCase);
        scene.AssertNowhere(password);
    }

    [Fact]
    public async Task A_Tasmota_that_never_reaches_the_broker_times_out_and_the_reply_says_how_it_was_left()
    {
        await using var scene = await Scene.StartAsync("A4CF12A00005", null, d => d.WebFaults.NeverReconnects = true, "--Adopt:ConnectTimeout=00:00:02");

        var reply = await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId }, Patience);

        JsonAssert.Error(reply, "timeout");
        Assert.Contains("stays configured", Message(reply));
        Assert.Equal("127.0.0.1", scene.Tasmota.Device.MqttSettings.Host);
        Assert.Equal(1, scene.Tasmota.Device.Restarts);
    }

    [Fact]
    public async Task Garbage_or_silence_at_the_address_fails_at_once_and_changes_nothing()
    {
        await using (var scene = await Scene.StartAsync("A4CF12A00006", null, d => d.WebFaults.GarbageAnswers = true))
        {
            var reply = await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId }, Patience);
            JsonAssert.Error(reply, "provision_failed");
            Assert.Contains("not Tasmota's command API", Message(reply));
            Assert.Empty(scene.Accounts.All());
        }
        await using (var scene = await Scene.StartAsync("A4CF12A00007", null, d => d.Faults.IgnoreCommands = true, "--Adopt:RpcTimeout=00:00:01"))
        {
            var reply = await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId }, Patience);
            JsonAssert.Error(reply, "device_offline");
            Assert.Contains("left untouched", Message(reply));
            Assert.Equal("", scene.Tasmota.Device.MqttSettings.Host);
        }
    }

    [Fact]
    public async Task Adopt_requests_that_cannot_work_are_refused_with_bad_request()
    {
        await using var scene = await Scene.StartAsync("A4CF12A00008");
        JsonAssert.Error(await scene.Client.RequestAsync(new { op = "adopt", device = scene.FoundId, key = "0123456789abcdef" }), "bad_request");
        JsonAssert.Error(await scene.Client.RequestAsync(new { op = "adopt", address = "not-an-ip" }), "bad_request");
        JsonAssert.Error(await scene.Client.RequestAsync(new { op = "adopt", address = "127.0.0.1", protocol = "shelly" }), "bad_request");
        JsonAssert.Error(await scene.Client.RequestAsync(new { op = "adopt", address = "127.0.0.1", device = scene.FoundId }), "bad_request");
        Assert.Equal(0, scene.Tasmota.Device.Restarts);
    }
}
