using System.Text.Json;
using System.Text.Json.Nodes;
using Bridge.Protocols.Miio;
using Bridge.Simulator.Miio;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Drivers.Miio;

namespace Bridge.Tests.Simulator.Miio;

/// <summary>Debian's python3-miio 0.5.0.1, a miIO client nobody here wrote
/// (<c>Bridge.Tests/Peers/miio/client.py</c>: <c>miio.Device(ip, token).send(...)</c>), against the
/// simulator's Xiaomi devices on UDP 54321 of their own loopback addresses: so the simulator is what
/// real clients expect (and with it, what the bridge is tested against).</summary>
public sealed class MiioPythonPeerTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    private static string Script
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "DeviceBridge.sln"))) return Path.Combine(dir.FullName, "Bridge.Tests", "Peers", "miio", "client.py");
            throw new InvalidOperationException("the repository root (DeviceBridge.sln) is not above the test binaries");
        }
    }

    /// <summary>Runs the steps; returns each step's line, in order, up to and with an error line.</summary>
    private static async Task<List<JsonObject>> RunAsync(SimulatedMiioDevice device, string token, string[] steps, object? set = null, int[][]? get = null, double timeout = 5, int retries = 3)
    {
        await using var python = PythonProcess.Start(await File.ReadAllTextAsync(Script));
        await python.WriteLineAsync(JsonSerializer.Serialize(new { ip = device.Address.ToString(), token, did = device.Did.ToString(), steps, set, get, timeout, retries }));
        var lines = new List<JsonObject>();
        while (lines.Count < steps.Length)
        {
            var line = await python.ReadLineAsync(Timeout);
            var o = JsonNode.Parse(line)!.AsObject();
            lines.Add(o);
            if (o["step"]!.GetValue<string>() == "error")
            {
                if (o["type"]!.GetValue<string>() is "ModuleNotFoundError" or "ImportError")
                    Assert.Fail($"python3-miio is not installed for {PythonProcess.Python}: apt-get install python3-miio (./test.sh does): {o["message"]}");
                break;
            }
        }
        return lines;
    }

    [Fact]
    public async Task Python_miio_says_hello_reads_miio_info_and_gets_and_sets_properties()
    {
        await using var lamp = MiioModels.Lamp(MiioRig.NewDid(), MiioRig.Token);
        await lamp.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);

        var lines = await RunAsync(lamp, MiioRig.Token, ["hello", "info", "get", "set", "get"],
            set: new[] { new { siid = 2, piid = 1, value = (object)true }, new { siid = 2, piid = 2, value = (object)70 }, new { siid = 9, piid = 9, value = (object)1 } },
            get: [[2, 1], [2, 2], [2, 3]]);
        Assert.True(lines.All(l => l["step"]!.GetValue<string>() != "error"), lines.Last().ToJsonString());

        Assert.Equal(lamp.Did, lines[0]["result"]!["device_id"]!.GetValue<uint>());
        Assert.Equal(MiioModels.LampModel, lines[1]["result"]!["model"]!.GetValue<string>());
        var before = lines[2]["result"]!.AsArray();
        Assert.Equal([false, 50, 4000], before.Select(p => (object)(p!["value"]!.GetValueKind() == JsonValueKind.Number ? p["value"]!.GetValue<int>() : p["value"]!.GetValue<bool>())).ToArray());
        Assert.All(before, p => Assert.Equal(0, p!["code"]!.GetValue<int>()));
        var set = lines[3]["result"]!.AsArray();
        Assert.Equal([0, 0, -4003], set.Select(p => p!["code"]!.GetValue<int>()).ToArray());
        var after = lines[4]["result"]!.AsArray();
        Assert.True(after[0]!["value"]!.GetValue<bool>());
        Assert.Equal(70, after[1]!["value"]!.GetValue<int>());
        Assert.Equal(70, lamp.Value(2, 2).GetInt32());
    }

    [Fact]
    public async Task Python_miio_sets_the_ac_and_gets_the_documented_codes_for_bad_writes()
    {
        await using var ac = MiioModels.Ac(MiioRig.NewDid(), MiioRig.Token);
        await ac.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);

        var lines = await RunAsync(ac, MiioRig.Token, ["set", "get"],
            set: new[] { new { siid = 2, piid = 2, value = (object)2 }, new { siid = 2, piid = 4, value = (object)24.5 }, new { siid = 4, piid = 7, value = (object)20 }, new { siid = 2, piid = 4, value = (object)99 } },
            get: [[2, 2], [2, 4], [4, 7]]);
        Assert.True(lines.All(l => l["step"]!.GetValue<string>() != "error"), lines.Last().ToJsonString());
        // cool accepted, 24.5 accepted, the room temperature is not writable, 99 °C is out of range.
        Assert.Equal([0, 0, -4002, -4005], lines[0]["result"]!.AsArray().Select(p => p!["code"]!.GetValue<int>()).ToArray());
        Assert.Equal(24.5, lines[1]["result"]!.AsArray()[1]!["value"]!.GetValue<double>());
    }

    [Fact]
    public async Task Python_miio_with_an_old_token_gets_no_answer_as_from_a_real_device()
    {
        await using var lamp = MiioModels.Lamp(MiioRig.NewDid(), MiioRig.Token);
        await lamp.StartAsync(LoopbackAddresses.Next(), MiioPacketCodec.Port);
        lamp.RePair(MiioRig.NewToken);

        var lines = await RunAsync(lamp, MiioRig.Token, ["info"], timeout: 0.3, retries: 1);
        var error = lines.Single();
        Assert.Equal(("error", "DeviceException"), (error["step"]!.GetValue<string>(), error["type"]!.GetValue<string>()));
        Assert.Contains("No response", error["message"]!.GetValue<string>());
        Assert.Equal(0, lamp.Requests);
        Assert.True(lamp.Hellos >= 2, "python-miio said hello again before its retry");
    }
}
