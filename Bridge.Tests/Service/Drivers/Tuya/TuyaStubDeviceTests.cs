using System.Text.Json.Nodes;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Drivers.Tuya;

/// <summary>The bridge's Tuya driver against npm <c>@tuyapi/stub</c> 0.3.0, a Tuya 3.1 device nobody here
/// wrote (Bridge.Tests/Peers/tuya/stub.js), over a real loopback socket: declared in
/// <c>Devices:Static</c> (the stub broadcasts only to 255.255.255.255), adopted with its key through the
/// API, read, and set with the state its STATUS push confirmed. The stub throws on a query or control
/// whose devId is not its own or whose timestamp is off by more than 10 s, so it also checks the bodies.</summary>
public sealed class TuyaStubDeviceTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task The_bridge_adopts_reads_and_sets_a_tuyapi_stub_device()
    {
        const string key = "stubK3y/with+pun";
        var devId = "bf" + Guid.NewGuid().ToString("N")[..18];
        using var stub = TuyaPeers.Start("stub.js", new { port = 0, id = devId, key, state = new Dictionary<string, object> { ["1"] = false, ["19"] = 0 } });
        var stderr = stub.StandardError.ReadToEndAsync();
        try
        {
            var ready = JsonNode.Parse(await stub.StandardOutput.ReadLineAsync(new CancellationTokenSource(Timeout).Token) ?? "{}")!;
            var port = ready["port"]!.GetValue<int>();
            var id = "tuya-" + devId;

            var logs = new LogCapture();
            await using var bridge = await TestBridge.StartAsync(null, false,
                s => Microsoft.Extensions.DependencyInjection.ServiceCollectionServiceExtensions.AddSingleton<Microsoft.Extensions.Logging.ILoggerProvider>(s, logs),
                "--Discovery:BeaconPort=0", "--Discovery:Tuya:Enabled=false",
                "--Devices:Static:0:Protocol=tuya", $"--Devices:Static:0:Id={id}", "--Devices:Static:0:Address=127.0.0.1",
                $"--Devices:Static:0:Port={port}", "--Devices:Static:0:Version=3.1", $"--Devices:Assign:{id}=tuya-plug");
            await bridge.UntilFoundAsync(id, Timeout);
            await using var client = await bridge.ConnectAsync(TokenScope.Install);

            var adopted = await client.RequestAsync(new { op = "adopt", device = id, key });
            JsonAssert.Ok(adopted);
            Assert.Equal("off", adopted.GetProperty("device").GetProperty("state").GetProperty("power").GetString());

            var reply = await client.RequestAsync(new { op = "set", device = id, state = new { power = "on" } });
            JsonAssert.Ok(reply);
            Assert.Equal("on", reply.GetProperty("state").GetProperty("power").GetString());
            // The stub's own account of the change: one line per property a client set.
            var changed = JsonNode.Parse(await stub.StandardOutput.ReadLineAsync(new CancellationTokenSource(Timeout).Token) ?? "{}")!;
            Assert.True(changed["state"]!["1"]!.GetValue<bool>());
            Assert.DoesNotContain(key, logs.AllText);
        }
        finally
        {
            stub.StandardInput.Close();
            if (!stub.WaitForExit(5000)) stub.Kill(entireProcessTree: true);
            Assert.DoesNotContain("Error", await stderr);
        }
    }
}
