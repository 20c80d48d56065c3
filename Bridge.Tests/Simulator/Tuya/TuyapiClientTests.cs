using Bridge.Protocols.Tuya;
using Bridge.Simulator.Tuya;
using Bridge.Tests.Service.Drivers.Tuya;

namespace Bridge.Tests.Simulator.Tuya;

/// <summary>npm <c>tuyapi</c> 7.7.1, a client nobody here wrote, against the simulated Tuya devices
/// of every protocol version over real loopback sockets: so the simulator is what real clients
/// expect (handshake, framing, encryption, the STATUS push that confirms a set).</summary>
public sealed class TuyapiClientTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData(TuyaVersion.V31)]
    [InlineData(TuyaVersion.V33)]
    [InlineData(TuyaVersion.V34)]
    [InlineData(TuyaVersion.V35)]
    public async Task Tuyapi_reads_and_sets_a_simulated_device(TuyaVersion version)
    {
        const string key = "k3y!With#Punct.$";
        await using var plug = new SimulatedTuyaDevice("bf" + Guid.NewGuid().ToString("N")[..18], key, version, "keyplug0001", "Plug",
            [new("1", TuyaDpValue.Of(false)), new("19", TuyaDpValue.Of(0))]);
        await plug.StartAsync();

        var steps = await TuyaPeers.RunClientAsync(new
        {
            ip = "127.0.0.1", port = plug.Port, id = plug.DevId, key, version = version.Text(),
            set = new Dictionary<string, object> { ["1"] = true },
        }, Timeout);

        Assert.False(steps["get"]["dps"]!["1"]!.GetValue<bool>());
        Assert.Equal(0, steps["get"]["dps"]!["19"]!.GetValue<int>());
        // tuyapi resolves a set with the device's STATUS push: the confirmation the bridge relies on too.
        Assert.True(steps["set"]["dps"]!["1"]!.GetValue<bool>());
        Assert.True(steps["get-after"]["dps"]!["1"]!.GetValue<bool>());
        Assert.True(plug.Snapshot()["1"].Bool);
    }
}
