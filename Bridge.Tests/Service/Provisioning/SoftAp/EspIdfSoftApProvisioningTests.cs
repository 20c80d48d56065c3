using System.Diagnostics;
using Bridge.Simulator.SoftAp;
using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Provisioning.SoftAp;

/// <summary>An installer provisions an ESP-IDF device over its SoftAP (loopback HTTP, the bridge's
/// real host and broker) with security 0, 1 and 2: steps in order, the device adopted and
/// controllable; or a clear <c>provision_failed</c> saying what state it was left in. Never a
/// password or proof of possession in a log, reply or file.</summary>
public sealed class EspIdfSoftApProvisioningTests
{
    private static readonly string[] AllSteps = ["connecting", "sending", "joining", "provisioned", "found", "adopted"];

    [Theory]
    [InlineData(0, 0)]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(2, 1)]
    public async Task A_device_is_provisioned_adopted_and_then_controllable(int security, int patch)
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(security, security == 0 ? null : SoftApRig.Pop, patch);
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer, pop: security == 0 ? null : SoftApRig.Pop);

        JsonAssert.Ok(reply);
        Assert.Equal(AllSteps, steps);
        var device = reply.GetProperty("device");
        Assert.Equal(rig.JoinedId, device.GetProperty("id").GetString());
        Assert.True(device.GetProperty("online").GetBoolean());
        var set = await installer.RequestAsync(new { op = "set", device = rig.JoinedId, state = new { power = "on" } });
        JsonAssert.Ok(set);
        Assert.Equal("on", set.GetProperty("state").GetProperty("power").GetString());
        Assert.Equal(1, rig.Device.Joins);
        rig.AssertNoSecret(reply, set);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public async Task A_wrong_proof_of_possession_is_refused_before_anything_is_sent(int security)
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(security);
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer, pop: "not-the-pop");

        JsonAssert.Error(reply, "provision_failed");
        var message = reply.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("proof of possession is wrong", message);
        Assert.Contains("Nothing was sent to it", message);
        Assert.Equal(["connecting"], steps);
        Assert.Equal(0, rig.Device.SettingsReceived);
        Assert.DoesNotContain("not-the-pop", rig.Logs.AllText);
    }

    [Fact]
    public async Task A_wrong_password_fails_in_seconds_and_the_device_takes_new_settings()
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(2);
        await using var installer = await rig.InstallerAsync();
        var clock = Stopwatch.StartNew();

        var (reply, steps) = await rig.ProvisionAsync(installer, password: "not-the-password");

        JsonAssert.Error(reply, "provision_failed");
        var message = reply.GetProperty("error").GetProperty("message").GetString()!;
        Assert.Contains("the device could not join Home: wrong password", message);
        Assert.Contains("back in its setup mode", message);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), $"took {clock.Elapsed}");
        Assert.Equal(["connecting", "sending", "joining"], steps);
        Assert.DoesNotContain("not-the-password", rig.Logs.AllText);

        var (again, _) = await rig.ProvisionAsync(installer);
        JsonAssert.Ok(again);
        rig.AssertNoSecret(reply, again);
    }

    [Fact]
    public async Task An_unknown_network_is_reported_as_not_found()
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(1);
        rig.Device.Air.Remove(SoftApRig.Ssid);
        await using var installer = await rig.InstallerAsync();

        var (reply, _) = await rig.ProvisionAsync(installer);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("the device could not join Home: network not found", reply.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task A_silent_device_fails_saying_nothing_was_sent()
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(2, bridgeSettings: "--Provision:SoftApRequestTimeout=00:00:01");
        rig.Device.Faults.Silent = true;
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("did not answer within 1 s", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(["connecting"], steps);
        Assert.Equal(0, rig.Device.SettingsReceived);
    }

    [Fact]
    public async Task A_device_that_restarts_while_joining_is_reported_back_in_setup_mode()
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(2);
        rig.Device.Faults.RebootOnApply = true;
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("restarted while joining Home", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(["connecting", "sending", "joining"], steps);
    }

    [Theory]
    [InlineData("huge", "more than 64 KB")]
    [InlineData("malformed", "is not valid protobuf")]
    [InlineData("slow", "did not answer within 1 s")]
    public async Task Bad_answers_end_with_a_clear_reason(string fault, string expected)
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(2, bridgeSettings: "--Provision:SoftApRequestTimeout=00:00:01");
        switch (fault)
        {
            case "huge": rig.Device.Faults.HugeAnswer = true; break;
            case "malformed": rig.Device.Faults.MalformedProtobuf = true; break;
            case "slow": rig.Device.Faults.AnswerDelay = TimeSpan.FromSeconds(3); break;
        }
        await using var installer = await rig.InstallerAsync();

        var (reply, _) = await rig.ProvisionAsync(installer);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains(expected, reply.GetProperty("error").GetProperty("message").GetString());
        var health = await installer.RequestAsync(new { op = "devices" });
        JsonAssert.Ok(health); // the bridge and the connection stay up
    }

    [Fact]
    public async Task A_device_that_claims_success_but_never_appears_succeeds_without_a_device()
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(0, null, bridgeSettings: "--Provision:FindTimeout=00:00:01");
        rig.AppearsAfterJoining = false;
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer, pop: null);

        JsonAssert.Ok(reply);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, reply.GetProperty("device").ValueKind);
        Assert.Equal(["connecting", "sending", "joining", "provisioned"], steps);
    }

    [Fact]
    public async Task Wifi_networks_lists_what_a_security_0_device_sees()
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(0, null);
        await using var installer = await rig.InstallerAsync();

        var reply = await installer.RequestAsync(new { op = "wifi_networks", method = "softap", target = rig.Target });

        JsonAssert.Ok(reply);
        Assert.Equal(["Home", "Cafe", "Neighbours"], reply.GetProperty("networks").EnumerateArray().Select(n => n.GetProperty("ssid").GetString()));
    }

    [Fact]
    public async Task Something_else_at_the_address_is_not_sent_anything()
    {
        await using var rig = await SoftApRig.StartEspIdfAsync(0, null);
        await using var installer = await rig.InstallerAsync();
        // The bridge's own HTTP API answers there: no device in setup mode.
        var target = rig.Bridge.App.ConsoleUrl.TrimEnd('/');

        var reply = await installer.RequestAsync(new { op = "provision", method = "softap", target, ssid = "Home", password = "x" });

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("not as a device in setup mode the bridge knows", reply.GetProperty("error").GetProperty("message").GetString());
    }
}
