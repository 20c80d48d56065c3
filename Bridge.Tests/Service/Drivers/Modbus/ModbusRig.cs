using Bridge.Protocols.Model;
using Bridge.Simulator.Modbus;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Bridge.Tests.Service.Drivers.Modbus;

/// <summary>A bridge whose serial port is one end of a socat pty pair, and simulated Modbus slaves
/// on the other end: an Intesis AC (slave 1), a CoolMasterNet AC (slave 2), a water heater (slave 3).</summary>
public sealed class ModbusRig : IAsyncDisposable
{
    private ModbusRig(SocatPair pair) => Pair = pair;

    public SocatPair Pair { get; }
    public TestBridge Bridge { get; private set; } = null!;
    public ModbusSlaveBus Bus { get; private set; } = null!;
    public ModbusSlave[] Slaves { get; private set; } = [];
    public LogCapture Logs { get; } = new();

    public static readonly string[] Ids = ["ac-1", "ac-2", "heater-1"];

    public static DeviceProfile Profile(string id)
    {
        var problems = new List<string>();
        var file = Path.Combine(AppContext.BaseDirectory, "configs", "devices", id + ".json");
        return DeviceProfileReader.Read(id, File.ReadAllBytes(file), problems) ?? throw new InvalidOperationException(string.Join("; ", problems));
    }

    public static ModbusSlave[] DefaultSlaves() => ModbusDemoSlaves.Create(Path.Combine(AppContext.BaseDirectory, "configs", "devices"));

    public static string[] BridgeArgs(string path, double pollSeconds = 0.3, params string[] extra) =>
    [
        $"--Serial:Ports:0:Path={path}", "--Serial:Ports:0:Baud=9600",
        "--Serial:Ports:0:Devices:0:Id=ac-1", "--Serial:Ports:0:Devices:0:Name=Office AC", "--Serial:Ports:0:Devices:0:SlaveId=1",
        "--Serial:Ports:0:Devices:0:Profile=modbus-intesis-ac", $"--Serial:Ports:0:Devices:0:PollSeconds={pollSeconds}",
        "--Serial:Ports:0:Devices:1:Id=ac-2", "--Serial:Ports:0:Devices:1:SlaveId=2",
        "--Serial:Ports:0:Devices:1:Profile=modbus-coolmasternet-ac", $"--Serial:Ports:0:Devices:1:PollSeconds={pollSeconds}",
        "--Serial:Ports:0:Devices:2:Id=heater-1", "--Serial:Ports:0:Devices:2:SlaveId=3",
        "--Serial:Ports:0:Devices:2:Profile=modbus-water-heater", $"--Serial:Ports:0:Devices:2:PollSeconds={pollSeconds}",
        "--Serial:ReplyTimeout=00:00:00.2", "--Serial:Retries=2",
        .. extra,
    ];

    public static async Task<ModbusRig> StartAsync(double pollSeconds = 0.3, params string[] extra)
    {
        var rig = new ModbusRig(await SocatPair.StartAsync());
        try
        {
            rig.Slaves = DefaultSlaves();
            rig.Bus = ModbusSlaveBus.OnDevice(rig.Pair.B, rig.Slaves);
            rig.Bridge = await TestBridge.StartAsync(null, false, s => s.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(rig.Logs),
                BridgeArgs(rig.Pair.A, pollSeconds, extra));
            return rig;
        }
        catch
        {
            await rig.DisposeAsync();
            throw;
        }
    }

    /// <summary>The slaves' end of the line again, after the pair was restarted.</summary>
    public void ReattachBus() => Bus = ModbusSlaveBus.OnDevice(Pair.B, Slaves);

    public async Task<ApiClient> ConnectOnlineAsync()
    {
        var client = await Bridge.ConnectAsync();
        await Infrastructure.Wait.UntilAsync(async () =>
        {
            var devices = (await client.RequestAsync(new { op = "devices" })).GetProperty("devices").EnumerateArray();
            return Ids.All(id => devices.Any(d => d.GetProperty("id").GetString() == id && d.GetProperty("online").GetBoolean()));
        }, TimeSpan.FromSeconds(15), "every Modbus device online");
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        // socat must go even when stopping the bridge throws, or the test run leaks processes.
        try
        {
            if (Bridge is not null) await Bridge.DisposeAsync();
        }
        finally
        {
            try
            {
                if (Bus is not null) await Bus.DisposeAsync();
            }
            finally
            {
                await Pair.DisposeAsync();
            }
        }
    }
}
