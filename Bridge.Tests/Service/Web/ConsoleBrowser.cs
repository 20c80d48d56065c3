using Microsoft.Playwright;

namespace Bridge.Tests.Service.Web;

/// <summary>Debian's Chromium driven by Playwright (<c>ExecutablePath</c>; no browser download),
/// headless, with the flags that keep it off the network, one per test class. Screenshots go to
/// <c>TestResults/console-screenshots/</c> at the repository root.</summary>
public sealed class ConsoleBrowser : IAsyncLifetime
{
    public const string DefaultChromium = "/usr/bin/chromium";

    public static string? ChromiumPath =>
        Environment.GetEnvironmentVariable("BRIDGE_TEST_CHROMIUM") is { Length: > 0 } configured && File.Exists(configured) ? configured
        : File.Exists(DefaultChromium) ? DefaultChromium : null;

    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "DeviceBridge.sln"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("the repository root (DeviceBridge.sln) was not found");
        }
    }

    public static string ScreenshotDir => Path.Combine(RepoRoot, "TestResults", "console-screenshots");

    private IPlaywright? _playwright;
    public IBrowser Browser { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        if (ChromiumPath is null) return; // every test of the class is skipped (ChromiumFact)
        _playwright = await Playwright.CreateAsync();
        // Eight builds share two cores here: give the page longer than Playwright's 5 s to show a change.
        Assertions.SetDefaultExpectTimeout(20_000);
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            // A fresh profile per launch is Playwright's default; these keep Chromium from calling home.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--no-first-run", "--disable-default-apps", "--disable-extensions"],
        });
    }

    /// <summary>A new browser context (its own storage, as a new browser would be).</summary>
    public async Task<IPage> NewPageAsync(int width = 1200, int height = 900, ColorScheme scheme = ColorScheme.Light, bool bypassCsp = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = width, Height = height },
            ColorScheme = scheme,
            BypassCSP = bypassCsp,
        });
        var page = await context.NewPageAsync();
        page.SetDefaultTimeout(15_000);
        return page;
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDir);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDir, name + ".png"), FullPage = true });
    }

    public async Task DisposeAsync()
    {
        if (Browser is not null) await Browser.DisposeAsync();
        _playwright?.Dispose();
    }
}
