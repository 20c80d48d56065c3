using System.Text.Json;
using Bridge.Service.Security;
using Bridge.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Bridge.Tests.Service.Web;

/// <summary>axe-core (npm, Bridge.Tests/Peers/console) over every page of the console, on a phone's
/// and a desktop's width, light and dark: no serious or critical violation.</summary>
public sealed class ConsoleAccessibilityTests(DemoBridgeFixture home, ConsoleBrowser chromium)
    : IClassFixture<DemoBridgeFixture>, IClassFixture<ConsoleBrowser>
{
    private static string AxePath => Path.Combine(ConsoleBrowser.RepoRoot, "Bridge.Tests", "Peers", "console", "node_modules", "axe-core", "axe.min.js");

    public static TheoryData<string> Pages => new() { "", "activity", "pair", "tokens", "found", "setup", "scenes", "relay" };

    internal static async Task<List<string>> AuditAsync(IPage page)
    {
        // The page's CSP allows no injected script; this browser context bypasses it for axe alone.
        await page.AddScriptTagAsync(new() { Path = AxePath });
        var json = await page.EvaluateAsync<string>("async () => JSON.stringify((await axe.run(document, { resultTypes: ['violations'] })).violations)");
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("id").GetString()} ({v.GetProperty("impact").GetString()}): {v.GetProperty("help").GetString()} at " +
                string.Join(", ", v.GetProperty("nodes").EnumerateArray().Take(3).Select(n => n.GetProperty("target").ToString())))
            .ToList();
    }

    [Fact]
    public void The_axe_core_peer_is_installed() =>
        Assert.True(File.Exists(AxePath), $"{AxePath} missing: run npm ci in Bridge.Tests/Peers/console (./test.sh does)");

    [ChromiumTheory]
    [MemberData(nameof(Pages))]
    public async Task A_page_has_no_serious_or_critical_accessibility_violation(string name)
    {
        foreach (var (width, scheme) in new[] { (1200, ColorScheme.Light), (390, ColorScheme.Dark) })
        {
            var page = await chromium.NewPageAsync(width, scheme: scheme, bypassCsp: true);
            await page.GotoAsync($"{home.Bridge.App.ConsoleUrl}#token={home.Bridge.Token(TokenScope.Admin)}");
            await page.Locator("[data-device]").First.WaitForAsync();
            if (name.Length > 0)
            {
                await page.EvaluateAsync($"() => location.hash = '#/{name}'");
                await page.Locator("main h1").WaitForAsync();
                await Assertions.Expect(page.Locator("main")).Not.ToContainTextAsync("Loading…");
            }
            var problems = await AuditAsync(page);
            Assert.True(problems.Count == 0, $"{(name.Length > 0 ? name : "home")} at {width}px {scheme}:\n" + string.Join("\n", problems));
            await page.Context.CloseAsync();
        }
    }

    [ChromiumFact]
    public async Task The_sign_in_page_has_no_serious_or_critical_accessibility_violation()
    {
        var page = await chromium.NewPageAsync(bypassCsp: true);
        await page.GotoAsync(home.Bridge.App.ConsoleUrl);
        await page.GetByLabel("Pairing code").WaitForAsync();
        var problems = await AuditAsync(page);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }
}
