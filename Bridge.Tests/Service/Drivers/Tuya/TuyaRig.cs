using System.Net;
using Bridge.Protocols.Tuya;
using Bridge.Service.Devices;
using Bridge.Simulator.Tuya;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Drivers.Yeelight;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Tuya;

/// <summary>Simulated Tuya devices and the real bridge in-process, on loopback. Each device serves
/// 6668 on a loopback address of its own (127.x.y.z, as a home gives each device an address) and
/// sends its broadcast to the bridge's discovery ports, which are free ports of this rig's own.</summary>
public sealed class TuyaRig : IAsyncDisposable
{

    public const string Key = "k3y!With#Punct.$";

    private TuyaRig(SimulatedTuyaDevice[] devices, TestBridge bridge, int plainPort, int encryptedPort, int infoPort, LogCapture logs)
    {
        Logs = logs;
        Devices = devices;
        Bridge = bridge;
        PlainPort = plainPort;
        EncryptedPort = encryptedPort;
        DeviceInfoPort = infoPort;
    }

    public SimulatedTuyaDevice[] Devices { get; }
    public TestBridge Bridge { get; }
    public int PlainPort { get; }
    public int EncryptedPort { get; }
    public int DeviceInfoPort { get; }
    /// <summary>Every log event the bridge wrote.</summary>
    public LogCapture Logs { get; }
    public DeviceRegistry Registry => Bridge.App.Services.GetRequiredService<DeviceRegistry>();

    public static SimulatedTuyaDevice Plug(TuyaVersion version, string? devId = null, bool answersOnlyDeviceInfo = false) =>
        new(devId ?? "bf" + Guid.NewGuid().ToString("N")[..18], Key, version, "simplug00000001", "Plug", [new("1", TuyaDpValue.Of(false)), new("19", TuyaDpValue.Of(0))])
        { AnswersOnlyDeviceInfo = answersOnlyDeviceInfo };

    public static SimulatedTuyaDevice Ac(TuyaVersion version) =>
        new("bf" + Guid.NewGuid().ToString("N")[..18], Key, version, "simac0000000001", "AC",
            [new("1", TuyaDpValue.Of(false)), new("2", TuyaDpValue.Of(260)), new("3", TuyaDpValue.Of(275)), new("4", TuyaDpValue.Of("auto")), new("5", TuyaDpValue.Of("auto"))]);

    public static SimulatedTuyaDevice Bulb(TuyaVersion version) =>
        new("bf" + Guid.NewGuid().ToString("N")[..18], Key, version, "simbulbcw000001", "Bulb",
            [new("20", TuyaDpValue.Of(false)), new("21", TuyaDpValue.Of("white")), new("22", TuyaDpValue.Of(500)), new("23", TuyaDpValue.Of(0))]);

    public static async Task<TuyaRig> StartAsync(SimulatedTuyaDevice[] devices, params string[] extra)
    {
        var (args, plain, encrypted, info) = await StartDevicesAsync(devices);
        args.AddRange(extra);
        var logs = new LogCapture();
        var bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs), args.ToArray());
        // The devices' first broadcast went out before the bridge listened; real devices repeat it every few seconds.
        foreach (var d in devices) await d.BroadcastAsync();
        return new TuyaRig(devices, bridge, plain, encrypted, info, logs);
    }

    /// <summary>Starts <paramref name="devices"/>, each on a loopback address of its own, broadcasting to (or answering
    /// REQ_DEVINFO towards) free discovery ports; returns the bridge arguments that make it hear them there.</summary>
    public static async Task<(List<string> Args, int PlainPort, int EncryptedPort, int DeviceInfoPort)> StartDevicesAsync(SimulatedTuyaDevice[] devices)
    {
        var plain = FreePort.GetUdp();
        var encrypted = FreePort.GetUdp();
        var info = FreePort.GetUdp();
        var args = new List<string>
        {
            "--Discovery:BeaconPort=0", $"--Discovery:Tuya:PlainPort={plain}", $"--Discovery:Tuya:EncryptedPort={encrypted}", $"--Discovery:Tuya:DeviceInfoPort={info}",
        };
        var i = 0;
        foreach (var d in devices)
        {
            d.BroadcastTargets.Add(new IPEndPoint(IPAddress.Loopback, d.Version == TuyaVersion.V31 ? plain : encrypted));
            d.DeviceInfoReplyPort = info;
            await d.StartAsync(LoopbackAddresses.Next(), 6668);
            if (d.AnswersOnlyDeviceInfo) args.Add($"--Discovery:Tuya:DeviceInfoTargets:{i++}={d.Address}:{d.DeviceInfoPort}");
        }
        return (args, plain, encrypted, info);
    }

    /// <summary>Waits, on the registry's own events, until <paramref name="condition"/> holds.</summary>
    public Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => Registry.UntilAsync(condition, what, timeout);

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        foreach (var d in Devices) await d.DisposeAsync();
    }
}

/// <summary>Waiting on the registry's own events (state, availability), never by sleeping.</summary>
public static class RegistryWait
{
    public static async Task UntilAsync(this DeviceRegistry registry, Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition()) done.TrySetResult();
        }
        var onChange = new Action(Check);
        var onOnline = new Action<Device, bool>((_, _) => Check());
        registry.Changed += onChange;
        registry.AvailabilityChanged += onOnline;
        var t = timeout ?? TimeSpan.FromSeconds(15);
        try
        {
            Check();
            await done.Task.WaitAsync(t);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no {what} within {t.TotalSeconds} s");
        }
        finally
        {
            registry.Changed -= onChange;
            registry.AvailabilityChanged -= onOnline;
        }
    }
}

/// <summary>Waiting for what <c>discovered</c> lists.</summary>
public static class DiscoveredWait
{
    public static async Task UntilFoundAsync(this TestBridge bridge, string id, TimeSpan timeout)
    {
        var discovered = bridge.App.Services.GetRequiredService<Bridge.Service.Discovery.DiscoveredDevices>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnChanged(Bridge.Service.Discovery.DiscoveredDevice d, bool found)
        {
            if (found && d.Id == id) done.TrySetResult();
        }
        discovered.Changed += OnChanged;
        try
        {
            if (discovered.Find(id) is not null) return;
            await done.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{id} not discovered within {timeout.TotalSeconds} s");
        }
        finally
        {
            discovered.Changed -= OnChanged;
        }
    }
}
