using Bridge.Service.Hosting;
using Bridge.Simulator.Improv;

namespace Bridge.Tests.Service.Provisioning;

/// <summary><c>provision</c> from a shell, against the bridge running on the machine: a step per
/// line on stdout, exit 0 or 1 with the reason; the password read from a file, never printed.</summary>
public sealed class ProvisionCommandTests
{
    private static async Task<(int Exit, string Out, string Err)> RunAsync(ImprovRig rig, string password)
    {
        var file = Path.Combine(rig.Bridge.DataDir, "..", $"pw-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(file, password + "\n");
        try
        {
            var port = new Uri(rig.Bridge.Url).Port;
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await BridgeCommandLine.RunAsync(
                ["provision", "--method", "improv", "--target", rig.Target, "--ssid", ImprovRig.Ssid, "--password-file", file,
                 $"--Api:Port={port}", $"--Data:Dir={rig.Bridge.DataDir}"], output, error);
            return (exit, output.ToString(), error.ToString());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Provision_prints_each_step_and_the_adopted_device()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);

        var (exit, output, error) = await RunAsync(rig, ImprovRig.Password);

        Assert.True(exit == 0, error);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        Assert.Equal(["connecting", "sending", "joining", "provisioned", "found", "adopted"], lines[..6]);
        Assert.StartsWith($"done: {rig.JoinedId} (Porch plug)", lines[6]);
        Assert.DoesNotContain(ImprovRig.Password, output + error + rig.Logs.AllText);
    }

    [Fact]
    public async Task A_wrong_password_exits_1_with_the_reason()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);
        rig.Device.Faults.ConnectTimeout = TimeSpan.FromMilliseconds(500);

        var (exit, output, error) = await RunAsync(rig, "wrong-one");

        Assert.Equal(1, exit);
        Assert.Contains("provision failed: the device could not join Home: wrong password or network not found", error);
        Assert.DoesNotContain("wrong-one", output + error + rig.Logs.AllText);
    }

    [Fact]
    public async Task Without_a_running_bridge_it_says_so_and_exits_1()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-cli-").FullName;
        try
        {
            var pw = Path.Combine(dir, "pw");
            await File.WriteAllTextAsync(pw, "x");
            using var output = new StringWriter();
            using var error = new StringWriter();
            var exit = await BridgeCommandLine.RunAsync(
                ["provision", "--method", "improv", "--target", "/dev/ttyUSB9", "--ssid", "Home", "--password-file", pw,
                 $"--Api:Port={Infrastructure.FreePort.GetTcp()}", $"--Data:Dir={dir}"], output, error);
            Assert.Equal(1, exit);
            Assert.Contains("no bridge answers at ws://127.0.0.1:", error.ToString());
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }

    [Fact]
    public async Task A_missing_password_file_is_a_usage_error()
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exit = await BridgeCommandLine.RunAsync(
            ["provision", "--method", "improv", "--target", "/dev/ttyUSB9", "--ssid", "Home", "--password-file", "/nonexistent/pw"], output, error);
        Assert.Equal(2, exit);
        Assert.Contains("--password-file", error.ToString());
    }
}
