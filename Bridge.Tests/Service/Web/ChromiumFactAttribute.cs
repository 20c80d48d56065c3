namespace Bridge.Tests.Service.Web;

/// <summary>A browser test: skipped, visibly and with the reason, where Debian's Chromium is not
/// installed (./test.sh installs it, so there they run).</summary>
public sealed class ChromiumFactAttribute : FactAttribute
{
    public ChromiumFactAttribute()
    {
        if (ConsoleBrowser.ChromiumPath is null)
            Skip = $"Chromium is not installed ({ConsoleBrowser.DefaultChromium} missing; apt-get install chromium, as ./test.sh does)";
    }
}

/// <summary>A browser theory, skipped like <see cref="ChromiumFactAttribute"/> where Chromium is missing.</summary>
public sealed class ChromiumTheoryAttribute : TheoryAttribute
{
    public ChromiumTheoryAttribute()
    {
        if (ConsoleBrowser.ChromiumPath is null)
            Skip = $"Chromium is not installed ({ConsoleBrowser.DefaultChromium} missing; apt-get install chromium, as ./test.sh does)";
    }
}
