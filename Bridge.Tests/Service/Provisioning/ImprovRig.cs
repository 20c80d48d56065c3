using System.Text.Json;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;
using Bridge.Simulator.Improv;
using Bridge.Simulator.Tasmota;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Bridge.Tests.Service.Provisioning;

/// <summary>A bridge (no demo home) and one unprovisioned simulated Improv device on a real socat
/// PTY. Given the right credentials the device "joins": a Tasmota becomes a fresh Tasmota on the Wi-Fi
/// and on no broker (which the bridge adopts at the address Improv reports); the other firmwares bring
/// up a simulated plug on the bridge's broker, with its own address.</summary>
public sealed class ImprovRig : IAsyncDisposable
{
    public const string Ssid = "Home";
    public const string Password = "s3cret-Wifi-pässword";

    private readonly List<TasmotaRelayPlug> _joined = [];

    private ImprovRig(TestBridge bridge, SocatPair pty, ImprovSerialDevice device, LogCapture logs)
    {
        Bridge = bridge;
        Pty = pty;
        Device = device;
        Logs = logs;
    }

    public TestBridge Bridge { get; }
    public SocatPair Pty { get; }
    public ImprovSerialDevice Device { get; }
    public LogCapture Logs { get; }

    /// <summary>The serial port the bridge opens.</summary>
    public string Target => Pty.A;

    /// <summary>The MAC of the device that joins.</summary>
    public string JoinedMac { get; } = "A0B1C2" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("X6");

    /// <summary>The Tasmota topic (device id) the device has once it joined (Tasmota's default for its MAC).</summary>
    public string JoinedId => TasmotaDevice.DefaultTopic(JoinedMac);

    /// <summary>The address the device reports once it joined (Improv's result URL).</summary>
    public string Redirect { get; private set; } = "";

    /// <summary>The fresh Tasmota the Tasmota firmware becomes once it joined: on the Wi-Fi, on no broker.</summary>
    public FreshTasmota? JoinedTasmota { get; private set; }

    /// <summary>When false, the device says it joined but never shows up on the LAN.</summary>
    public bool AppearsAfterJoining { get; set; } = true;

    public static async Task<ImprovRig> StartAsync(ImprovFirmware firmware, params string[] bridgeSettings)
    {
        var logs = new LogCapture();
        var bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<ILoggerProvider>(logs), bridgeSettings);
        var pty = await SocatPair.StartAsync();
        var air = new SimulatedAir().Add(Ssid, Password, -45).Add("Neighbours", "other", -77).Add("Cafe", "", -60);
        var device = ImprovSerialDevice.OnPty(pty.B, firmware, air, "porch-plug");
        device.Address = "127.0.0." + Random.Shared.Next(2, 250);
        var rig = new ImprovRig(bridge, pty, device, logs);
        device.Joined = rig.JoinAsync;
        return rig;
    }

    private async Task<string?> JoinAsync(string ssid, CancellationToken ct)
    {
        Redirect = $"http://{Device.Address}/";
        if (!AppearsAfterJoining) return null;
        if (Device.Firmware == ImprovFirmware.Tasmota)
        {
            // A real fresh Tasmota joins the Wi-Fi but no broker: the bridge must adopt it over its HTTP
            // command API, at the address Improv reports (here with the simulator's port).
            var fresh = JoinedTasmota = await FreshTasmota.StartAsync(JoinedMac, name: "Porch plug", ipAddress: Device.Address, ct: ct);
            return Redirect = $"http://{fresh.EndPoint}/";
        }
        var broker = Bridge.App.Services.GetRequiredService<EmbeddedBroker>();
        // Another firmware that joins (ESPHome, WLED) is simulated by a plug that comes onto the bridge's broker
        // by itself, with its own account (as if the firmware had been built with the broker and one).
        var plug = new TasmotaRelayPlug(JoinedId, "Porch plug", JoinedMac) { IpAddress = Device.Address };
        var account = Bridge.App.Services.GetRequiredService<Bridge.Service.Mqtt.Accounts.DeviceAccounts>()
            .CreateFor("tasmota", JoinedId, new Dictionary<string, string> { ["mac"] = plug.Mac });
        plug.UseAccount(account.Username, account.Password);
        lock (_joined) _joined.Add(plug);
        await plug.ConnectAsync("127.0.0.1", broker.Port, ct);
        return null;
    }

    public Task<ApiClient> InstallerAsync() => Bridge.ConnectAsync(TokenScope.Install);

    /// <summary>Sends <c>provision</c> and returns the reply and the steps reported before it.</summary>
    public async Task<(JsonElement Reply, List<string> Steps)> ProvisionAsync(ApiClient client, string password = Password, string? target = null, TimeSpan? timeout = null)
    {
        var reply = await client.RequestAsync(new { op = "provision", method = "improv", target = target ?? Target, ssid = Ssid, password }, timeout ?? TimeSpan.FromSeconds(30));
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

    public async ValueTask DisposeAsync()
    {
        await Device.DisposeAsync();
        await Pty.DisposeAsync();
        foreach (var plug in _joined) await plug.DisposeAsync();
        if (JoinedTasmota is not null) await JoinedTasmota.DisposeAsync();
        await Bridge.DisposeAsync();
    }
}
