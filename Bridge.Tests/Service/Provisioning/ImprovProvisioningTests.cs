using System.Diagnostics;
using Bridge.Protocols.Improv;
using Bridge.Simulator.Improv;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Provisioning;

/// <summary>An installer provisions a device over Improv serial (real socat PTYs, the bridge's real
/// host and broker): steps in order, the device in <c>devices</c> and controllable, or a clear
/// <c>provision_failed</c> saying what state it was left in; never a password in a log or reply.</summary>
public sealed class ImprovProvisioningTests
{
    private static readonly string[] AllSteps = ["connecting", "sending", "joining", "provisioned", "found", "adopted"];

    [Theory]
    [InlineData(ImprovFirmware.EspHome)]
    [InlineData(ImprovFirmware.Wled)]
    [InlineData(ImprovFirmware.Tasmota)]
    public async Task A_device_is_provisioned_adopted_and_then_controllable(ImprovFirmware firmware)
    {
        await using var rig = await ImprovRig.StartAsync(firmware);
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer);

        JsonAssert.Ok(reply);
        Assert.Equal(["id", "ok", "device", "redirect"], reply.EnumerateObject().Select(m => m.Name)); // CONTRACT.md "Provisioning"
        Assert.Equal(AllSteps, steps);
        var device = reply.GetProperty("device");
        Assert.Equal(rig.JoinedId, device.GetProperty("id").GetString());
        Assert.True(device.GetProperty("online").GetBoolean());
        Assert.Equal(rig.Redirect, reply.GetProperty("redirect").GetString());
        if (firmware == ImprovFirmware.Tasmota)
        {
            // It was adopted over its HTTP command API, with an account of its own.
            var given = rig.JoinedTasmota!.Device.ActiveMqttSettings;
            Assert.Equal(rig.JoinedId, given.User);
            Assert.DoesNotContain(given.Password, rig.Logs.AllText);
        }
        var set = await installer.RequestAsync(new { op = "set", device = rig.JoinedId, state = new { power = "on" } });
        JsonAssert.Ok(set);
        Assert.Equal("on", set.GetProperty("state").GetProperty("power").GetString());
        AssertNoSecret(rig, reply);
    }

    [Fact]
    public async Task A_wrong_password_fails_in_seconds_and_leaves_the_device_ready()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);
        rig.Device.Faults.ConnectTimeout = TimeSpan.FromSeconds(1);
        await using var installer = await rig.InstallerAsync();
        var clock = Stopwatch.StartNew();

        var (reply, steps) = await rig.ProvisionAsync(installer, password: "not-the-password");

        JsonAssert.Error(reply, "provision_failed");
        var message = reply.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("the device could not join Home: wrong password or network not found", message);
        Assert.Contains("back in its setup mode", message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(["connecting", "sending", "joining"], steps);
        Assert.Equal(ImprovState.Ready, rig.Device.State);
        Assert.DoesNotContain("not-the-password", rig.Logs.AllText);

        // Ready for new settings: the right ones now work.
        var (again, _) = await rig.ProvisionAsync(installer);
        JsonAssert.Ok(again);
    }

    [Fact]
    public async Task A_silent_port_fails_saying_nothing_was_sent()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome, "--Provision:ImprovDetectTimeout=00:00:01.5");
        rig.Device.Faults.Silent = true;
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer);

        JsonAssert.Error(reply, "provision_failed");
        var message = reply.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains($"no answer on {rig.Target}", message);
        Assert.Contains("Nothing was sent to it", message);
        Assert.Equal(["connecting"], steps);
        Assert.Equal(0, rig.Device.SettingsReceived);
    }

    [Fact]
    public async Task A_device_printing_logs_without_improv_is_told_apart_from_an_empty_port()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome, "--Provision:ImprovDetectTimeout=00:00:01.5");
        // A firmware without Improv (or not in setup mode) that only prints its log on the port: it
        // answers each probe with a log line, so the bridge hears bytes but no Improv.
        rig.Device.Faults.LogsWithoutImprov = true;
        await using var installer = await rig.InstallerAsync();

        var (reply, _) = await rig.ProvisionAsync(installer);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("prints to the port but did not answer Improv", reply.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_device_that_restarts_while_joining_is_reported_back_in_setup_mode()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);
        rig.Device.Faults.RebootOnSettings = true;
        await using var installer = await rig.InstallerAsync();

        var (reply, _) = await rig.ProvisionAsync(installer);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("restarted while joining Home", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(ImprovState.Ready, rig.Device.State);
    }

    [Fact]
    public async Task A_device_that_claims_success_but_never_appears_succeeds_without_a_device()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome, "--Provision:FindTimeout=00:00:01");
        rig.AppearsAfterJoining = false;
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer);

        JsonAssert.Ok(reply);
        Assert.Equal(["id", "ok", "device", "redirect"], reply.EnumerateObject().Select(m => m.Name));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reply.GetProperty("device").ValueKind);
        Assert.Equal(["connecting", "sending", "joining", "provisioned"], steps);
    }

    [Fact]
    public async Task A_second_installer_on_the_same_port_is_told_busy()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);
        rig.Device.Faults.JoinDelay = TimeSpan.FromSeconds(2);
        await using var first = await rig.InstallerAsync();
        await using var second = await rig.InstallerAsync();

        var running = rig.ProvisionAsync(first);
        await first.WaitEventAsync(e => e.GetProperty("event").GetString() == "provision", TimeSpan.FromSeconds(10));
        var (busy, steps) = await rig.ProvisionAsync(second);

        JsonAssert.Error(busy, "busy");
        Assert.Empty(steps); // progress goes only to the connection that asked
        JsonAssert.Ok((await running).Reply);
    }

    [Fact]
    public async Task Wifi_networks_lists_what_the_device_sees_strongest_first()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);
        await using var installer = await rig.InstallerAsync();

        var reply = await installer.RequestAsync(new { op = "wifi_networks", method = "improv", target = rig.Target });

        JsonAssert.Ok(reply);
        Assert.Equal(["id", "ok", "networks"], reply.EnumerateObject().Select(m => m.Name));
        var networks = reply.GetProperty("networks").EnumerateArray().ToArray();
        Assert.Equal(["Home", "Cafe", "Neighbours"], networks.Select(n => n.GetProperty("ssid").GetString()));
        Assert.Equal(-45, networks[0].GetProperty("rssi").GetInt32());
        Assert.False(networks[1].GetProperty("secure").GetBoolean());
    }

    [Fact]
    public async Task Bad_requests_and_a_control_token_are_refused_before_anything_is_sent()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);
        await using var installer = await rig.InstallerAsync();
        await using var controller = await rig.Bridge.ConnectAsync();

        JsonAssert.Error(await installer.RequestAsync(new { op = "provision", method = "carrier-pigeon", target = rig.Target, ssid = "Home", password = "x" }), "bad_request");
        JsonAssert.Error(await installer.RequestAsync(new { op = "provision", method = "improv", target = rig.Target, ssid = new string('s', 40), password = "x" }), "bad_request");
        JsonAssert.Error(await controller.RequestAsync(new { op = "provision", method = "improv", target = rig.Target, ssid = "Home", password = "x" }), "forbidden");
        var missing = await installer.RequestAsync(new { op = "provision", method = "improv", target = "/dev/does-not-exist", ssid = "Home", password = "x" });
        JsonAssert.Error(missing, "provision_failed");
        Assert.Contains("cannot open the serial port /dev/does-not-exist", missing.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, rig.Device.SettingsReceived);
    }

    private static void AssertNoSecret(ImprovRig rig, System.Text.Json.JsonElement reply)
    {
        Assert.NotEmpty(rig.Logs.Events);
        Assert.DoesNotContain(ImprovRig.Password, rig.Logs.AllText);
        Assert.DoesNotContain(ImprovRig.Password, reply.GetRawText());
        // A *.tmp file is one the bridge is writing right now and renames into place; the file it
        // becomes is read here instead (reading the temp file races its rename).
        Assert.False(Directory.EnumerateFiles(rig.Bridge.DataDir, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".tmp", StringComparison.Ordinal))
            .Any(f => File.ReadAllText(f).Contains(ImprovRig.Password, StringComparison.Ordinal)), "the password is in a file of Data:Dir");
    }
}
