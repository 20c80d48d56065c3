namespace Bridge.Service.Security;

/// <summary><c>Pairing:*</c>: the code the bridge prints so a phone on the LAN can get a token.</summary>
public sealed class PairingOptions
{
    public const string Section = "Pairing";

    /// <summary>How long one code is good for; a fresh one is printed when it runs out or is used.</summary>
    public TimeSpan CodeLifetime { get; set; } = TimeSpan.FromMinutes(10);
    /// <summary>Wrong codes accepted per minute from one address before its requests get 429 (other
    /// addresses, the installer's phone among them, are not affected).</summary>
    public int MaxFailuresPerMinute { get; set; } = 5;
    /// <summary>Wrong guesses against one code, from all addresses together, before it is replaced by a
    /// fresh code: a 6-digit code then falls to guessing with a chance of at most 20 in a million.</summary>
    public int MaxWrongGuessesPerCode { get; set; } = 20;
    /// <summary>Life of a token obtained by pairing.</summary>
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(365);
    /// <summary>Scope of a token obtained by pairing.</summary>
    public string Scope { get; set; } = "control";

    public IEnumerable<string> Validate()
    {
        if (CodeLifetime < TimeSpan.FromSeconds(10) || CodeLifetime > TimeSpan.FromHours(1))
            yield return "Pairing:CodeLifetime must be between 10 seconds and 1 hour (e.g. 00:10:00)";
        if (MaxFailuresPerMinute is < 1 or > 100) yield return "Pairing:MaxFailuresPerMinute must be 1..100";
        if (MaxWrongGuessesPerCode is < 1 or > 1000) yield return "Pairing:MaxWrongGuessesPerCode must be 1..1000";
        if (TokenLifetime < TimeSpan.FromMinutes(1) || TokenLifetime > TimeSpan.FromDays(3650))
            yield return "Pairing:TokenLifetime must be between 1 minute and 10 years";
        if (!TokenScopes.TryParse(Scope, out _)) yield return "Pairing:Scope must be control, install or admin";
    }
}
