using System.Globalization;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Bridge.Tests.Service.Web;

/// <summary>Scenes and timers made, run, edited, paused and deleted from the console's page, in
/// Chromium against a real bridge (its own, on a fake clock in Asia/Shanghai, so a timer falls due
/// when the test says): what the page shows and what the bridge and the devices then hold.</summary>
public sealed class ConsoleHouseholdTests(ConsoleBrowser chromium) : IClassFixture<ConsoleBrowser>
{
    // Wednesday 2 December 2026, 06:00 in Shanghai.
    private static readonly DateTimeOffset WednesdayMorning = DateTimeOffset.Parse("2026-12-02T06:00:00+08:00", CultureInfo.InvariantCulture);

    private static Task<TestBridge> StartAsync(FakeTimeProvider time) =>
        TestBridge.StartAsync(null, true, s => s.AddSingleton<TimeProvider>(time), "--Timers:TimeZone=Asia/Shanghai");

    private async Task<IPage> OpenScenesAsync(TestBridge bridge)
    {
        var page = await chromium.NewPageAsync(bypassCsp: true); // for axe only; the page runs as it would
        await page.GotoAsync($"{bridge.App.ConsoleUrl}#token={bridge.Token(TokenScope.Install)}");
        await page.Locator("[data-device]").First.WaitForAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Scenes and timers" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "New timer" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>What the bridge holds: the reply's list of <paramref name="op"/> ("scenes" or "timers").</summary>
    private static async Task<System.Text.Json.JsonElement> ListAsync(ApiClient client, string op)
    {
        var reply = await client.RequestAsync(new { op });
        JsonAssert.Ok(reply);
        return reply.GetProperty(op);
    }

    private static ILocator Setting(ILocator form, string device, string capability) =>
        form.Locator($"[data-device-actions=\"{device}\"] [data-capability=\"{capability}\"]");

    [ChromiumFact]
    public async Task A_scene_is_made_run_corrected_after_the_bridge_refuses_a_value_and_deleted()
    {
        await using var bridge = await StartAsync(new FakeTimeProvider(WednesdayMorning));
        await using var phone = await bridge.ConnectAsync();
        var page = await OpenScenesAsync(bridge);

        await page.GetByRole(AriaRole.Button, new() { Name = "New scene" }).ClickAsync();
        var form = page.Locator("[data-form=\"scene\"]");
        await form.GetByLabel("Name").FillAsync("Evening <b>lights</b>");
        var heater = Setting(form, "water-heater-1", "target_temperature");
        await heater.FillAsync("90"); // above the heater's 75 °C
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        // The bridge's invalid_value, beside the heater's field, and nothing saved.
        await Assertions.Expect(form.Locator("[data-device-actions=\"water-heater-1\"] .error")).ToContainTextAsync("'target_temperature' must be from 35 to 75");
        await Assertions.Expect(heater).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.Empty((await ListAsync(phone, "scenes")).EnumerateArray());
        await ConsoleBrowser.ScreenshotAsync(page, "scene-invalid-value");

        var target = Convert.ToDouble(bridge.Home["water-heater-1"].Snapshot()["target_temperature"], CultureInfo.InvariantCulture) == 50 ? 51 : 50;
        await heater.FillAsync(target.ToString(CultureInfo.InvariantCulture));
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var item = page.Locator("[data-scene]", new() { HasText = "Evening <b>lights</b>" });
        await Assertions.Expect(item).ToContainTextAsync($"Target {target}");
        var saved = (await ListAsync(phone, "scenes"))[0];
        Assert.Equal("Evening <b>lights</b>", saved.GetProperty("name").GetString());
        var action = Assert.Single(saved.GetProperty("actions").EnumerateArray());
        Assert.Equal("water-heater-1", action.GetProperty("device").GetString());

        // Run: the device takes the value and the page says so.
        await item.GetByRole(AriaRole.Button, new() { Name = "Run Evening <b>lights</b>" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-status]")).ToHaveTextAsync("Evening <b>lights</b> done");
        Assert.Equal(target, Convert.ToDouble(bridge.Home["water-heater-1"].Snapshot()["target_temperature"], CultureInfo.InvariantCulture));

        await item.GetByRole(AriaRole.Button, new() { Name = "Delete Evening <b>lights</b>" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-scene]")).ToHaveCountAsync(0);
        Assert.Empty((await ListAsync(phone, "scenes")).EnumerateArray());
    }

    [ChromiumFact]
    public async Task A_timer_is_made_paused_resumed_runs_when_due_and_is_deleted()
    {
        var time = new FakeTimeProvider(WednesdayMorning);
        await using var bridge = await StartAsync(time);
        await using var phone = await bridge.ConnectAsync();
        var page = await OpenScenesAsync(bridge);

        await page.GetByRole(AriaRole.Button, new() { Name = "New timer" }).ClickAsync();
        var form = page.Locator("[data-form=\"timer\"]");
        Assert.Empty(await ConsoleAccessibilityTests.AuditAsync(page));
        await form.GetByLabel("Name").FillAsync("Morning heater");
        await form.GetByLabel("At (the home's time)").FillAsync("06:30");
        await form.GetByLabel("Sat").UncheckAsync();
        await form.GetByLabel("Sun").UncheckAsync();
        await form.GetByLabel("its own settings").CheckAsync();
        await Setting(form, "water-heater-1", "target_temperature").FillAsync("55");
        await form.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var item = page.Locator("[data-timer]", new() { HasText = "Morning heater" });
        await Assertions.Expect(item).ToContainTextAsync("06:30, Mon–Fri");
        await Assertions.Expect(item.Locator("[data-next]")).ToHaveTextAsync("next Wed 12-02 06:30");
        var listed = (await ListAsync(phone, "timers"))[0];
        Assert.Equal(["mon", "tue", "wed", "thu", "fri"], listed.GetProperty("days").EnumerateArray().Select(d => d.GetString()));
        Assert.Equal(55, listed.GetProperty("actions")[0].GetProperty("state").GetProperty("target_temperature").GetDouble());
        var id = listed.GetProperty("id").GetString();

        // Pause: the bridge holds it paused, with no next run; resume: due again.
        var onOff = item.GetByRole(AriaRole.Switch, new() { Name = "Morning heater on" });
        await onOff.ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-enabled", "false");
        await Assertions.Expect(item.Locator("[data-next]")).ToHaveTextAsync("paused");
        Assert.False((await ListAsync(phone, "timers"))[0].GetProperty("enabled").GetBoolean());
        await item.GetByRole(AriaRole.Switch, new() { Name = "Morning heater on" }).ClickAsync();
        await Assertions.Expect(item).ToHaveAttributeAsync("data-enabled", "true");
        await ConsoleBrowser.ScreenshotAsync(page, "timers");

        // Due: the bridge runs it, the heater takes 55 °C, the page shows the run and the next one.
        time.SetUtcNow(DateTimeOffset.Parse("2026-12-02T06:30:00+08:00", CultureInfo.InvariantCulture));
        await Assertions.Expect(item.Locator("[data-next]")).ToContainTextAsync("ran just now");
        await Assertions.Expect(item.Locator("[data-next]")).ToContainTextAsync("next Thu 12-03 06:30");
        Assert.Equal(55, Convert.ToDouble(bridge.Home["water-heater-1"].Snapshot()["target_temperature"], CultureInfo.InvariantCulture));
        await page.GetByRole(AriaRole.Link, new() { Name = "Activity" }).ClickAsync();
        await Assertions.Expect(page.Locator(".timeline")).ToContainTextAsync($"timer {id} ran: 1 of 1 devices done");

        await page.GetByRole(AriaRole.Link, new() { Name = "Scenes and timers" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Delete Morning heater" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-timer]")).ToHaveCountAsync(0);
        Assert.Empty((await ListAsync(phone, "timers")).EnumerateArray());
    }
}
