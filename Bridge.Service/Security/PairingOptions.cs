namespace Bridge.Service.Security;

/// <summary><c>Pairing:*</c>: the code the bridge prints so a phone on the LAN can get a token.</summary>
public sealed class PairingOptions
{
    public const string Section = "Pairing";

    /// <summary>How long one code is good for; a fresh one is printed when it runs out or is used.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Wrong codes accepted per minute, from everyone together, before requests get 429:
    /// 6 digits at 5 a minute cannot be guessed within a code's life.</summary>
    public int MaxFailuresPerMinute { get; set; } = 5;
    /// <summary>Life of a token obtained by pairing.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(365);
    /// <summary>Scope of a token obtained by pairing.</summary>
    public string Scope { get; set; } = "control";

    public IEnumerable<string> Validate()
    {
        if (CodeLifetime < TimeSpan.FromSeconds(10) || CodeLifetime > TimeSpan.FromHours(1))
            yield return "Pairing:CodeLifetime must be between 10 seconds and 1 hour (e.g. 00:10:00)";
        if (MaxFailuresPerMinute is < 1 or > 100) yield return "Pairing:MaxFailuresPerMinute must be 1..100";
        if (TokenLifetime < TimeSpan.FromMinutes(1) || TokenLifetime > TimeSpan.FromDays(3650))
            yield return "Pairing:TokenLifetime must be between 1 minute and 10 years";
        if (!TokenScopes.TryParse(Scope, out _)) yield return "Pairing:Scope must be control, install or admin";
    }
}
