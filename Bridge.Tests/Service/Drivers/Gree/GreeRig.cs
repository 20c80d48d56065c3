using Bridge.Tests.Service.Drivers.Tuya;
using System.Net;
using Bridge.Protocols.Gree;
using Bridge.Service.Devices;
using Bridge.Simulator.Gree;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Gree;

/// <summary>Simulated Gree units and the real bridge in-process, on loopback: each unit serves UDP on a
/// loopback address of its own (127.x.y.z, as a home gives each unit an address) and the bridge scans
/// each one by unicast (loopback carries no broadcast).</summary>
public sealed class GreeRig : IAsyncDisposable
{
    private GreeRig(SimulatedGreeAc[] units, TestBridge bridge, LogCapture logs)
    {
        Units = units;
        Bridge = bridge;
        Logs = logs;
    }

    public SimulatedGreeAc[] Units { get; }
    public TestBridge Bridge { get; }
    public LogCapture Logs { get; }
    public DeviceRegistry Registry => Bridge.App.Services.GetRequiredService<DeviceRegistry>();

    private static int _next = Random.Shared.Next(0, 1 << 24);

    /// <summary>A unit with a MAC no other test uses.</summary>
    public static SimulatedGreeAc Unit(GreeCipherVersion firmware = GreeCipherVersion.V1, string? version = null)
    {
        var mac = $"f4911e{Interlocked.Increment(ref _next) & 0xFFFFFF:x6}";
        return version is null ? new SimulatedGreeAc(mac, "Living room AC", firmware) : new SimulatedGreeAc(mac, "Living room AC", firmware) { FirmwareVersion = version };
    }

    /// <summary>Starts the units and a bridge that scans them; <paramref name="extra"/> are more bridge arguments
    /// (the poll interval defaults to the shortest allowed, 2 s).</summary>
    public static async Task<GreeRig> StartAsync(SimulatedGreeAc[] units, params string[] extra)
    {
        var args = new List<string> { "--Discovery:BeaconPort=0", "--Discovery:Gree:PollInterval=00:00:02", "--Discovery:Gree:ReplyTimeout=00:00:00.3" };
        args.AddRange(extra);
        args.AddRange(await StartUnitsAsync(units));
        var logs = new LogCapture();
        var bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs), args.ToArray());
        return new GreeRig(units, bridge, logs);
    }

    /// <summary>Starts <paramref name="units"/>, each on UDP 7000 of a loopback address of its own; returns the bridge
    /// arguments that make it scan each by unicast.</summary>
    public static async Task<List<string>> StartUnitsAsync(SimulatedGreeAc[] units)
    {
        var args = new List<string>();
        for (var i = 0; i < units.Length; i++)
        {
            await units[i].StartAsync(LoopbackAddresses.Next(), 7000);
            args.Add($"--Discovery:Gree:ScanTargets:{i}={units[i].EndPoint}");
        }
        return args;
    }

    public Device Device(string id) => Registry.All().Single(d => d.Id == id);

    /// <summary>Waits, on the registry's own events, until <paramref name="condition"/> holds.</summary>
    public Task WaitAsync(Func<bool> condition, string what, TimeSpan? timeout = null) => Registry.UntilAsync(condition, what, timeout);

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        foreach (var u in Units) await u.DisposeAsync();
    }
}
