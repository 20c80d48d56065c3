using System.Text.Json.Nodes;
using Bridge.Protocols.Improv;
using Bridge.Simulator.Improv;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Simulator.Improv;

/// <summary>The simulator's Improv devices, driven over a real PTY by the reference client that
/// the Improv authors wrote (npm improv-wifi-serial-sdk), behave as the client expects of real
/// ESPHome, WLED and Tasmota devices: so tests of the bridge against the simulator mean something.</summary>
public sealed class ImprovSimulatorFidelityTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static SimulatedAir Air() => new SimulatedAir().Add("Home", "correct horse battery", -48).Add("Neighbours", "", -80);

    [Theory]
    [InlineData(ImprovFirmware.EspHome, "ESPHome")]
    [InlineData(ImprovFirmware.Wled, "WLED")]
    [InlineData(ImprovFirmware.Tasmota, "Tasmota")]
    public async Task The_reference_client_reads_info_scans_and_provisions(ImprovFirmware firmware, string firmwareName)
    {
        await using var pty = await SocatPair.StartAsync();
        await using var device = ImprovSerialDevice.OnPty(pty.B, firmware, Air(), "porch-light");
        device.Address = "127.0.0.41";

        var lines = await ImprovReferenceClient.RunAsync(
            new { port = pty.A, hostname = true, scan = true, ssid = "Home", password = "correct horse battery" }, Timeout);

        var info = Find(lines, "info")["info"]!;
        Assert.Equal(firmwareName, (string?)info["firmware"]);
        Assert.Equal("porch-light", (string?)info["name"]);
        Assert.Equal("porch-light", (string?)Find(lines, "hostname")["hostname"]);
        var networks = Find(lines, "networks")["networks"]!.AsArray();
        Assert.Equal(["Home", "Neighbours"], networks.Select(n => (string?)n!["name"]));
        Assert.Equal([true, false], networks.Select(n => (bool)n!["secured"]!));
        Assert.Equal(-48, (int)networks[0]!["rssi"]!);
        Assert.Equal("http://127.0.0.41/", (string?)Find(lines, "provisioned")["provisioned"]);
        Assert.Contains(lines, l => (int?)l["state"] == (int)ImprovState.Provisioned);
        Assert.Equal(ImprovState.Provisioned, device.State);
    }

    [Fact]
    public async Task A_wrong_password_is_reported_as_unable_to_connect_by_esphome()
    {
        await using var pty = await SocatPair.StartAsync();
        await using var device = ImprovSerialDevice.OnPty(pty.B, ImprovFirmware.EspHome, Air(), "porch-light");
        device.Faults.ConnectTimeout = TimeSpan.FromMilliseconds(300);

        var lines = await ImprovReferenceClient.RunAsync(new { port = pty.A, ssid = "Home", password = "wrong" }, Timeout);

        Assert.Equal("UNABLE_TO_CONNECT", (string?)Find(lines, "failed")["failed"]);
        Assert.Contains(lines, l => (int?)l["errorState"] == (int)ImprovError.UnableToConnect);
        Assert.Equal(ImprovState.Ready, device.State);
    }

    [Fact]
    public async Task Wled_never_says_it_could_not_connect_so_the_client_times_out()
    {
        await using var pty = await SocatPair.StartAsync();
        await using var device = ImprovSerialDevice.OnPty(pty.B, ImprovFirmware.Wled, Air(), "strip");
        device.Faults.ConnectTimeout = TimeSpan.FromMilliseconds(100);

        var lines = await ImprovReferenceClient.RunAsync(new { port = pty.A, ssid = "Home", password = "wrong", timeoutMs = 1500 }, Timeout);

        Assert.Equal("TIMEOUT", (string?)Find(lines, "failed")["failed"]);
        Assert.DoesNotContain(lines, l => (int?)l["errorState"] == (int)ImprovError.UnableToConnect);
        Assert.Equal(ImprovState.Provisioning, device.State);
    }

    [Fact]
    public async Task Tasmota_keeps_its_state_across_the_restart_after_joining()
    {
        await using var pty = await SocatPair.StartAsync();
        await using var device = ImprovSerialDevice.OnPty(pty.B, ImprovFirmware.Tasmota, Air(), "tasmota-A1B2C3-0042");
        device.Address = "127.0.0.42";
        var first = await ImprovReferenceClient.RunAsync(new { port = pty.A, ssid = "Home", password = "correct horse battery" }, Timeout);
        Assert.Equal("http://127.0.0.42/", (string?)Find(first, "provisioned")["provisioned"]);

        // After its restart a client that connects anew finds it provisioned, with its URL.
        var second = await ImprovReferenceClient.RunAsync(new { port = pty.A, initTimeoutMs = 5000 }, Timeout);
        Assert.Equal("http://127.0.0.42/", (string?)Find(second, "info")["nextUrl"]);
    }

    [Fact]
    public async Task A_silent_device_is_not_detected()
    {
        await using var pty = await SocatPair.StartAsync();
        await using var device = ImprovSerialDevice.OnPty(pty.B, ImprovFirmware.EspHome, Air(), "dead");
        device.Faults.Silent = true;

        var lines = await ImprovReferenceClient.RunAsync(new { port = pty.A, initTimeoutMs = 1000 }, Timeout);

        Assert.Equal("Improv Wi-Fi Serial not detected", (string?)Find(lines, "failed")["failed"]);
    }

    private static JsonObject Find(List<JsonObject> lines, string key) =>
        lines.FirstOrDefault(l => l.ContainsKey(key)) ?? throw new Xunit.Sdk.XunitException($"no '{key}' in the client's output: {string.Join(" ", lines)}");
}
