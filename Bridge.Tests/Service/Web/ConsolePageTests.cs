using Bridge.Simulator.Home;
using Bridge.Service.Mqtt;
using Bridge.Service.Security;
using Bridge.Simulator.Tasmota;
using Bridge.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Bridge.Tests.Service.Web;

/// <summary>The web console in Debian's Chromium against a real bridge with the simulated home: what a
/// householder sees and does. Each test uses its own devices, so they share one bridge.</summary>
public sealed class ConsolePageTests(DemoBridgeFixture home, ConsoleBrowser chromium)
    : IClassFixture<DemoBridgeFixture>, IClassFixture<ConsoleBrowser>
{
    private TestBridge Bridge => home.Bridge;

    private async Task<IPage> OpenAsync(TokenScope scope = TokenScope.Admin, int width = 1200, ColorScheme scheme = ColorScheme.Light)
    {
        var page = await chromium.NewPageAsync(width, scheme: scheme);
        await page.GotoAsync($"{Bridge.App.ConsoleUrl}#token={Bridge.Token(scope)}");
        await page.Locator("[data-device]").First.WaitForAsync();
        return page;
    }

    private static ILocator Value(IPage page, string device, string capability) =>
        page.Locator($"[data-device=\"{device}\"] [data-state=\"{capability}\"]");

    [ChromiumFact]
    public async Task Lists_every_device_with_its_state_and_takes_the_token_out_of_the_address_bar()
    {
        var page = await OpenAsync();
        // The simulated home's devices (another test of this class may add one of its own).
        var ids = Bridge.Home.Devices.Select(d => d.Id).Concat(Bridge.Home.TwinsOf<global::Bridge.Simulator.Yeelight.SimulatedBulb>().Select(b => b.DeviceId)).ToList();
        Assert.True(await page.Locator("[data-device]").CountAsync() >= ids.Count);
        Assert.DoesNotContain("token", page.Url);
        foreach (var id in ids)
            await Assertions.Expect(page.Locator($"[data-device=\"{id}\"]")).ToHaveAttributeAsync("data-online", "true");
        var heater = Bridge.Home["water-heater-1"].Snapshot();
        await Assertions.Expect(Value(page, "water-heater-1", "target_temperature"))
            .ToHaveAttributeAsync("data-value", Convert.ToDouble(heater["target_temperature"]).ToString(System.Globalization.CultureInfo.InvariantCulture));
        await Assertions.Expect(page.Locator("[data-device=\"ac-1\"] select[data-control=\"mode\"]")).ToHaveCountAsync(1);
        await ConsoleBrowser.ScreenshotAsync(page, "home-desktop-light");
        var phone = await OpenAsync(width: 390, scheme: ColorScheme.Dark);
        await ConsoleBrowser.ScreenshotAsync(phone, "home-phone-dark");
    }

    [ChromiumFact]
    public async Task A_click_switches_the_lamp_and_the_page_shows_what_the_lamp_confirmed()
    {
        var page = await OpenAsync();
        var power = page.Locator("[data-device=\"lamp-1\"] [data-control=\"power\"]");
        await Assertions.Expect(power).ToHaveAttributeAsync("role", "switch");
        var before = (string)Bridge.Home["lamp-1"].Snapshot()["power"];
        var expected = before == "on" ? "off" : "on";
        await power.ClickAsync();
        await Assertions.Expect(power).ToHaveAttributeAsync("aria-checked", (expected == "on").ToString().ToLowerInvariant());
        await Assertions.Expect(Value(page, "lamp-1", "power")).ToHaveAttributeAsync("data-value", expected);
        Assert.Equal(expected, (string)Bridge.Home["lamp-1"].Snapshot()["power"]);
        // The page measured the command's round trip.
        await Assertions.Expect(page.Locator("[data-device=\"lamp-1\"] .latency")).ToContainTextAsync("ms");
    }

    [ChromiumFact]
    public async Task A_change_made_by_another_client_appears_without_a_reload()
    {
        var page = await OpenAsync();
        await using var phone = await Bridge.ConnectAsync();
        var target = Bridge.Home["water-heater-1"].Snapshot()["target_temperature"] is 60 or 60.0 ? 61 : 60;
        JsonAssert.Ok(await phone.RequestAsync(new { op = "set", device = "water-heater-1", state = new { target_temperature = target } }));
        await Assertions.Expect(Value(page, "water-heater-1", "target_temperature")).ToHaveAttributeAsync("data-value", target.ToString());
        await Assertions.Expect(page.Locator("[data-device=\"water-heater-1\"] [data-control=\"target_temperature\"]")).ToHaveValueAsync(target.ToString());
    }

    [ChromiumFact]
    public async Task A_value_out_of_range_shows_the_bridges_invalid_value_next_to_the_control()
    {
        var page = await OpenAsync();
        var brightness = page.Locator("[data-device=\"shellydimmerg3-84fce63ad204\"] [data-control=\"brightness\"]");
        await brightness.FillAsync("500");
        await brightness.DispatchEventAsync("change");
        var error = page.Locator($"#{await brightness.GetAttributeAsync("aria-describedby")}");
        await Assertions.Expect(error).ToContainTextAsync("brightness");
        await Assertions.Expect(brightness).ToHaveAttributeAsync("aria-invalid", "true");
        Assert.NotEqual(500, Convert.ToInt32(Bridge.Home["shellydimmerg3-84fce63ad204"].Snapshot()["brightness"]));
        await ConsoleBrowser.ScreenshotAsync(page, "invalid-value");
    }

    [ChromiumFact]
    public async Task A_hostile_or_enormous_name_is_shown_as_text_and_runs_nothing()
    {
        var name = "<img src=x onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>" + string.Concat(Enumerable.Repeat("Very long name ", 40));
        var broker = Bridge.App.Services.GetRequiredService<EmbeddedBroker>().Port;
        await using var evil = new TasmotaLight("evil-1", name, "4C11AE0DEE01", colorTemperature: false);
        evil.SetState(power: false, dimmer: 10);
        // The embedded broker admits only accounts the bridge made, as it makes them for the demo's devices.
        global::Bridge.Service.Demo.DemoAccounts.Give(new global::Bridge.Simulator.Home.SimulatedHome([evil]),
            Bridge.App.Services.GetRequiredService<global::Bridge.Service.Mqtt.Accounts.DeviceAccounts>(),
            Bridge.App.Services.GetServices<global::Bridge.Service.Demo.IDemoDevices>());
        await evil.ConnectAsync("127.0.0.1", broker);
        var page = await OpenAsync();
        var card = page.Locator("[data-device=\"evil-1\"]");
        await card.WaitForAsync();
        Assert.Equal(name.Trim(), (await card.Locator(".name").TextContentAsync())!.Trim());
        Assert.Equal(0, await card.Locator("img, script").CountAsync());
        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        await ConsoleBrowser.ScreenshotAsync(page, "hostile-name");
    }

    [ChromiumFact]
    public async Task Signing_in_with_the_pairing_code_shows_the_home()
    {
        var page = await chromium.NewPageAsync();
        await page.GotoAsync(Bridge.App.ConsoleUrl);
        await page.GetByLabel("Pairing code").FillAsync(Bridge.App.Services.GetRequiredService<PairingCodes>().Current);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-device=\"lamp-1\"]")).ToBeVisibleAsync();
        // The token lives in this browser's storage, not in a cookie.
        Assert.Empty(await page.Context.CookiesAsync());
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-device=\"lamp-1\"]")).ToBeVisibleAsync();
    }

    [ChromiumFact]
    public async Task A_wrong_token_says_so_and_offers_pairing()
    {
        var page = await chromium.NewPageAsync();
        var forged = Bridge.Token() + "x";
        await page.GotoAsync($"{Bridge.App.ConsoleUrl}#token={forged}");
        await Assertions.Expect(page.Locator("[data-problem=\"token\"]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByLabel("Pairing code")).ToBeVisibleAsync();
        await ConsoleBrowser.ScreenshotAsync(page, "wrong-token");
    }

    [ChromiumFact]
    public async Task The_pairing_page_shows_the_current_code_and_a_QR_code()
    {
        var page = await OpenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Pair a phone" }).ClickAsync();
        var code = Bridge.App.Services.GetRequiredService<PairingCodes>().Current;
        await Assertions.Expect(page.Locator("[data-pairing-code]")).ToHaveAttributeAsync("data-pairing-code", code);
        await Assertions.Expect(page.Locator("svg.qr")).ToBeVisibleAsync();
        Assert.Contains(code, await page.Locator("svg.qr").GetAttributeAsync("aria-label"));
        await ConsoleBrowser.ScreenshotAsync(page, "pair");
    }

    [ChromiumFact]
    public async Task A_revoked_token_is_listed_as_revoked()
    {
        var victim = Bridge.App.MintToken("old tablet", TokenScope.Control);
        var page = await OpenAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Tokens" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Revoke old tablet" }).ClickAsync();
        await Assertions.Expect(page.Locator("tr", new() { HasText = "old tablet" })).ToContainTextAsync("revoked");
        Assert.False(Bridge.App.Services.GetRequiredService<TokenService>().TryVerify(victim, out _, out _));
        await ConsoleBrowser.ScreenshotAsync(page, "tokens");
    }
}
