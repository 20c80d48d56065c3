using Bridge.Service.Discovery;
using Bridge.Service.Security;
using Bridge.Simulator.Improv;
using Bridge.Tests.Infrastructure;
using Bridge.Tests.Service.Adoption;
using Bridge.Tests.Service.Provisioning;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bridge.Tests.Service.Web;

/// <summary>The console's installer pages in Debian's Chromium, each against a bridge of its own:
/// adopting a found device, the provisioning wizard against a simulated Improv device on a real
/// PTY, renaming and moving a device, and a bridge that goes away and comes back.</summary>
public sealed class ConsoleInstallerTests(ConsoleBrowser chromium) : IClassFixture<ConsoleBrowser>
{
    private async Task<IPage> OpenAsync(TestBridge bridge, string page = "")
    {
        var tab = await chromium.NewPageAsync();
        await tab.GotoAsync($"{bridge.App.ConsoleUrl}#token={bridge.Token(TokenScope.Admin)}");
        await Assertions.Expect(tab.Locator("#nav")).ToBeVisibleAsync();
        if (page.Length > 0) await tab.EvaluateAsync($"() => location.hash = '#/{page}'");
        return tab;
    }

    [ChromiumFact]
    public async Task A_found_device_is_adopted_from_the_console_and_appears_on_the_home()
    {
        await using var bridge = await TestBridge.StartAsync(null, false);
        await using var shelly = await UnadoptedShelly.StartAsync("shellyplusplugs-a8032ab0c0de");
        shelly.AnnounceTo(bridge.App.Services.GetRequiredService<DiscoveredDevices>());
        var page = await OpenAsync(bridge, "found");
        var entry = page.Locator($"[data-found=\"{shelly.Id}\"]");
        await Assertions.Expect(entry).ToHaveAttributeAsync("data-adopted", "false");
        await ConsoleBrowser.ScreenshotAsync(page, "found");
        await entry.GetByRole(AriaRole.Button, new() { NameRegex = new("^Adopt") }).ClickAsync();
        await Assertions.Expect(entry).ToHaveAttributeAsync("data-adopted", "true", new() { Timeout = 30_000 });
        Assert.True(shelly.Device.IsConnected);
        await page.GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await Assertions.Expect(page.Locator($"[data-device=\"{shelly.Id}\"]")).ToHaveAttributeAsync("data-online", "true");
    }

    [ChromiumFact]
    public async Task The_provisioning_wizard_puts_an_Improv_device_on_the_WiFi_step_by_step()
    {
        await using var rig = await ImprovRig.StartAsync(ImprovFirmware.EspHome);
        var page = await OpenAsync(rig.Bridge, "setup");
        await page.GetByLabel("How to reach the device").SelectOptionAsync("improv");
        await page.GetByLabel("Serial port or address").FillAsync(rig.Target);
        await page.GetByRole(AriaRole.Button, new() { Name = "Find networks" }).ClickAsync();
        await Assertions.Expect(page.Locator("#pv-networks option[value=\"Home\"]")).ToHaveCountAsync(1, new() { Timeout = 30_000 });
        await page.GetByLabel("Wi-Fi network").FillAsync(ImprovRig.Ssid);
        await page.GetByLabel("Wi-Fi password").FillAsync(ImprovRig.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Set up" }).ClickAsync();
        foreach (var step in new[] { "connecting", "sending", "joining", "provisioned", "found", "adopted" })
            await Assertions.Expect(page.Locator($"[data-step=\"{step}\"]")).ToHaveClassAsync("done", new() { Timeout = 60_000 });
        await Assertions.Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Done" })).ToBeVisibleAsync();
        // The password field is emptied once the wizard is done; the password was never logged.
        await Assertions.Expect(page.GetByLabel("Wi-Fi password")).ToHaveValueAsync("");
        Assert.DoesNotContain(ImprovRig.Password, rig.Logs.AllText);
        await ConsoleBrowser.ScreenshotAsync(page, "provisioning");
        await page.GetByRole(AriaRole.Link, new() { Name = "Home" }).ClickAsync();
        await Assertions.Expect(page.Locator($"[data-device=\"{rig.JoinedId}\"]")).ToHaveAttributeAsync("data-online", "true");
    }

    [ChromiumFact]
    public async Task A_device_renamed_and_moved_shows_under_its_new_room()
    {
        await using var bridge = await TestBridge.StartAsync();
        var page = await OpenAsync(bridge);
        var card = page.Locator("[data-device=\"lamp-1\"]");
        await card.GetByRole(AriaRole.Button, new() { Name = "Rename or move…" }).ClickAsync();
        await page.GetByLabel("Name", new() { Exact = true }).FillAsync("客厅台灯");
        await page.GetByLabel("Room", new() { Exact = true }).FillAsync("客厅");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("section.room", new() { Has = page.Locator("[data-device=\"lamp-1\"]") }).Locator("h2")).ToHaveTextAsync("客厅");
        await Assertions.Expect(page.Locator("[data-device=\"lamp-1\"] .name")).ToHaveTextAsync("客厅台灯");
    }

    [ChromiumFact]
    public async Task When_the_bridge_goes_away_the_page_says_so_and_recovers_by_itself()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-console-").FullName;
        try
        {
            var first = await TestBridge.StartAsync(dir, true);
            var port = new Uri(first.Url).Port;
            var page = await OpenAsync(first);
            await Assertions.Expect(page.Locator("[data-device=\"lamp-1\"]")).ToBeVisibleAsync();
            await first.DisposeAsync();
            await Assertions.Expect(page.Locator("#banner")).ToContainTextAsync("cannot be reached", new() { Timeout = 30_000 });
            await ConsoleBrowser.ScreenshotAsync(page, "bridge-gone");

            await using var second = await TestBridge.StartAsync(dir, true, $"--Api:Port={port}");
            await Assertions.Expect(page.Locator("#banner")).ToBeHiddenAsync(new() { Timeout = 30_000 });
            // Live again: a change made now shows without a reload.
            await using var phone = await second.ConnectAsync();
            JsonAssert.Ok(await phone.RequestAsync(new { op = "set", device = "lamp-1", state = new { brightness = 17 } }));
            await Assertions.Expect(page.Locator("[data-device=\"lamp-1\"] [data-state=\"brightness\"]")).ToHaveAttributeAsync("data-value", "17");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
