using System.Net;
using Bridge.Protocols.Miio;
using Bridge.Service.Devices;
using Bridge.Simulator.Miio;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Miio;

/// <summary>Simulated Xiaomi devices and the real bridge in-process, on loopback. Each device serves UDP
/// 54321 on a loopback address of its own (127.x.y.z, as a home gives each device an address); the
/// bridge says hello to each by unicast (loopback has no broadcast).</summary>
public sealed class MiioRig : IAsyncDisposable
{
    private static int _nextDid = Random.Shared.Next(100_000_000, 200_000_000);

    public const string Token = "00112233445566778899aabbccddeeff";
    public const string NewToken = "ffeeddccbbaa99887766554433221100";

    /// <summary>Fast enough for tests, slow enough that a loaded machine still answers in time.</summary>
    public static readonly string[] QuickPolls = ["--Discovery:Miio:PollInterval=00:00:01", "--Discovery:Miio:ReplyTimeout=00:00:00.3"];

    private MiioRig(SimulatedMiioDevice[] devices, TestBridge bridge, LogCapture logs)
    {
        Devices = devices;
        Bridge = bridge;
        Logs = logs;
    }

    public SimulatedMiioDevice[] Devices { get; }
    public TestBridge Bridge { get; }
    public LogCapture Logs { get; }
    public DeviceRegistry Registry => Bridge.App.Services.GetRequiredService<DeviceRegistry>();

    public static uint NewDid() => (uint)Interlocked.Increment(ref _nextDid);

    public static SimulatedMiioDevice Lamp() => MiioModels.Lamp(NewDid(), Token);
    public static SimulatedMiioDevice Ac() => MiioModels.Ac(NewDid(), Token);
    public static SimulatedMiioDevice WaterHeater() => MiioModels.WaterHeater(NewDid(), Token);

    public static async Task<MiioRig> StartAsync(SimulatedMiioDevice[] devices, params string[] extra)
    {
        var args = new List<string>(extra) { "--Discovery:BeaconPort=0" };
        var i = 0;
        foreach (var d in devices)
        {
            await d.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);
            args.Add($"--Discovery:Miio:Targets:{i++}={d.Address}:{d.Port}");
        }
        var logs = new LogCapture();
        var bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(logs), args.ToArray());
        return new MiioRig(devices, bridge, logs);
    }

    public Device Device(SimulatedMiioDevice d) => Registry.All().Single(x => x.Id == d.DeviceId);

    public async ValueTask DisposeAsync()
    {
        await Bridge.DisposeAsync();
        foreach (var d in Devices) await d.DisposeAsync();
    }
}
