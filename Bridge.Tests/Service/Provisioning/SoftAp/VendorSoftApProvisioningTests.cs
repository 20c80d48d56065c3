using Bridge.Tests.Infrastructure;

namespace Bridge.Tests.Service.Provisioning.SoftAp;

/// <summary>A Shelly Gen2+ and a Tasmota in access-point mode, provisioned with <c>method</c>
/// <c>softap</c> (the bridge recognises each at the address) and then adopted: the Shelly once
/// discovery lists it, the Tasmota at the address its page names (adoption over its HTTP
/// command API). Each ends controllable, or with the device's own reason for not joining.</summary>
public sealed class VendorSoftApProvisioningTests
{
    private static readonly string[] AllSteps = ["connecting", "sending", "joining", "provisioned", "found", "adopted"];

    [Fact]
    public async Task A_Shelly_in_AP_mode_joins_is_adopted_and_switched()
    {
        const string id = "shellyplusplugs-a8032ab0f0e1";
        await using var rig = await SoftApRig.StartShellyAsync(id);
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer, pop: null);

        JsonAssert.Ok(reply);
        Assert.Equal(AllSteps, steps);
        Assert.Equal(id, reply.GetProperty("device").GetProperty("id").GetString());
        var set = await installer.RequestAsync(new { op = "set", device = id, state = new { power = "on" } });
        JsonAssert.Ok(set);
        Assert.Equal("on", set.GetProperty("state").GetProperty("power").GetString());
        rig.AssertNoSecret(reply, set);
    }

    [Fact]
    public async Task A_Shelly_given_a_wrong_password_says_so()
    {
        await using var rig = await SoftApRig.StartShellyAsync("shellyplusplugs-a8032ab0f0e2");
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer, password: "wrong-one", pop: null);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("the device could not join Home: wrong password or network not found", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(["connecting", "sending", "joining"], steps);
        Assert.DoesNotContain("wrong-one", rig.Logs.AllText);
    }

    [Fact]
    public async Task A_Tasmota_in_AP_mode_joins_is_adopted_by_address_and_switched()
    {
        await using var rig = await SoftApRig.StartTasmotaAsync();
        await using var installer = await rig.InstallerAsync();

        var (reply, steps) = await rig.ProvisionAsync(installer, pop: null);

        JsonAssert.Ok(reply);
        Assert.Equal(AllSteps, steps);
        var id = reply.GetProperty("device").GetProperty("id").GetString();
        Assert.Equal(rig.TasmotaTopic, id);
        var set = await installer.RequestAsync(new { op = "set", device = id, state = new { power = "on" } });
        JsonAssert.Ok(set);
        Assert.Equal("on", set.GetProperty("state").GetProperty("power").GetString());
        rig.AssertNoSecret(reply, set);
    }

    [Fact]
    public async Task A_Tasmota_given_a_wrong_password_shows_it_and_stays_in_setup_mode()
    {
        await using var rig = await SoftApRig.StartTasmotaAsync();
        await using var installer = await rig.InstallerAsync();

        var (reply, _) = await rig.ProvisionAsync(installer, password: "wrong-one", pop: null);

        JsonAssert.Error(reply, "provision_failed");
        Assert.Contains("the device could not join Home: wrong password", reply.GetProperty("error").GetProperty("message").GetString());
        Assert.Equal(0, rig.Device.Joins);
    }
}
