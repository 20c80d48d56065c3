using System.Text.Json;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;
using Bridge.Simulator.Improv;
using Bridge.Simulator.SoftAp;
using Bridge.Simulator.Tasmota;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Adoption;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Provisioning.SoftAp;

/// <summary>A bridge (no demo home) and one simulated device in access-point mode on a loopback
/// HTTP port. An ESP-IDF device "joins" by bringing up its application — a Tasmota-compatible plug
/// with its own broker account, as a device flashed for this home would — on the bridge's broker.</summary>
public sealed class SoftApRig : IAsyncDisposable
{
    public const string Ssid = "Home";
    public const string Password = "s3cret-Wifi-pässword";
    public const string Pop = "abcd1234-pop-Zq";

    private readonly List<IAsyncDisposable> _joined = [];

    private SoftApRig(TestBridge bridge, LogCapture logs)
    {
        Bridge = bridge;
        Logs = logs;
    }

    public TestBridge Bridge { get; }
    public LogCapture Logs { get; }
    public SoftApDevice Device { get; private set; } = null!;
    public string Target => Device.Url.ToString().TrimEnd('/');
    public string JoinedId { get; } = "tasmota_" + Guid.NewGuid().ToString("N")[..6];
    public static SimulatedAir Air() => new SimulatedAir().Add(Ssid, Password, -45).Add("Neighbours", "other", -77).Add("Cafe", "", -60);

    public static async Task<SoftApRig> StartEspIdfAsync(int security, string? pop = Pop, int patch = 1, params string[] bridgeSettings)
    {
        var rig = await StartBridgeAsync(bridgeSettings);
        var device = new EspIdfSoftApDevice("porch-plug", Air(), security, pop, patch);
        device.Joined = (_, ct) => rig.JoinAsTasmotaAsync(ct);
        await device.StartAsync();
        rig.Device = device;
        return rig;
    }

    /// <summary>A Shelly Plus Plug S in AP mode; once joined, its LAN side (local RPC, MQTT off) is
    /// handed to discovery as the mDNS querier would (the mDNS path itself: AdoptOverMdnsTests).</summary>
    public static async Task<SoftApRig> StartShellyAsync(string id, params string[] bridgeSettings)
    {
        var rig = await StartBridgeAsync(bridgeSettings);
        var device = new ShellySoftApDevice(id, "SNPL-00112EU", "PlugS", Air());
        device.Joined = async (_, _) =>
        {
            var lan = await UnadoptedShelly.StartAsync(id);
            rig.Keep(lan);
            lan.AnnounceTo(rig.Bridge.App.Services.GetRequiredService<Bridge.Service.Discovery.DiscoveredDevices>());
        };
        await device.StartAsync();
        rig.Device = device;
        return rig;
    }

    /// <summary>A Tasmota in AP mode; once joined it is a fresh Tasmota on the LAN (HTTP command API,
    /// no broker) at the address its page then names.</summary>
    public static async Task<SoftApRig> StartTasmotaAsync(params string[] bridgeSettings)
    {
        var rig = await StartBridgeAsync(bridgeSettings);
        var mac = "A4CF12" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("X6");
        var device = new TasmotaSoftApDevice(TasmotaDevice.DefaultHostname(mac), Air());
        device.Joined = async (_, _) =>
        {
            var lan = await UnadoptedTasmota.StartAsync(mac);
            rig.Keep(lan);
            rig.TasmotaTopic = lan.Topic;
            device.LanAddress = $"127.0.0.1:{lan.EndPoint.Port}";
        };
        await device.StartAsync();
        rig.Device = device;
        return rig;
    }

    /// <summary>The joined Tasmota's topic, its id in the bridge.</summary>
    public string? TasmotaTopic { get; private set; }

    private static async Task<SoftApRig> StartBridgeAsync(string[] bridgeSettings)
    {
        var logs = new LogCapture();
        var bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<ILoggerProvider>(logs), bridgeSettings);
        return new SoftApRig(bridge, logs);
    }

    /// <summary>When false, the device says it joined but never shows up on the LAN.</summary>
    public bool AppearsAfterJoining { get; set; } = true;

    private async Task JoinAsTasmotaAsync(CancellationToken ct)
    {
        if (!AppearsAfterJoining) return;
        var broker = Bridge.App.Services.GetRequiredService<EmbeddedBroker>();
        var plug = new TasmotaRelayPlug(JoinedId, "Porch plug", "A0B1C2" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("X6"));
        var account = Bridge.App.Services.GetRequiredService<Bridge.Service.Mqtt.Accounts.DeviceAccounts>()
            .CreateFor("tasmota", JoinedId, new Dictionary<string, string> { ["mac"] = plug.Mac });
        plug.UseAccount(account.Username, account.Password);
        lock (_joined) _joined.Add(plug);
        await plug.ConnectAsync("127.0.0.1", broker.Port, ct);
    }

    public Task<ApiClient> InstallerAsync() => Bridge.ConnectAsync(TokenScope.Install);

    /// <summary>Sends <c>provision</c> (method softap) and returns the reply and the steps reported before it.</summary>
    public async Task<(JsonElement Reply, List<string> Steps)> ProvisionAsync(ApiClient client, string password = Password, string? pop = Pop, TimeSpan? timeout = null)
    {
        var reply = await client.RequestAsync(new { op = "provision", method = "softap", target = Target, ssid = Ssid, password, pop }, timeout ?? TimeSpan.FromSeconds(30));
        var steps = new List<string>();
        while (true)
        {
            try
            {
                var e = await client.WaitEventAsync(e => e.GetProperty("event").GetString() == "provision", TimeSpan.FromMilliseconds(200));
                steps.Add(e.GetProperty("step").GetString()!);
            }
            catch (TimeoutException)
            {
                return (reply, steps);
            }
        }
    }

    /// <summary>Neither the Wi-Fi password nor the proof of possession in any log line, the reply, or a file of Data:Dir.</summary>
    public void AssertNoSecret(params JsonElement[] replies)
    {
        Assert.NotEmpty(Logs.Events);
        foreach (var secret in new[] { Password, Pop })
        {
            Assert.DoesNotContain(secret, Logs.AllText);
            foreach (var reply in replies) Assert.DoesNotContain(secret, reply.GetRawText());
            Assert.False(Directory.EnumerateFiles(Bridge.DataDir, "*", SearchOption.AllDirectories)
                .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
                .Any(f => File.ReadAllText(f).Contains(secret, StringComparison.Ordinal)), "a secret is in a file of Data:Dir");
        }
    }

    public void Keep(IAsyncDisposable joined)
    {
        lock (_joined) _joined.Add(joined);
    }

    public async ValueTask DisposeAsync()
    {
        await Device.DisposeAsync();
        foreach (var j in _joined) await j.DisposeAsync();
        await Bridge.DisposeAsync();
    }
}
