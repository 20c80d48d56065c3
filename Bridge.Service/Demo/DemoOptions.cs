namespace Bridge.Service.Demo;

/// <summary><c>Demo:*</c>: the simulated home that <c>--demo</c> starts in-process.</summary>
public sealed class DemoOptions
{
    public const string Section = "Demo";

    public bool Enabled { get; set; }
    /// <summary>Instead of the demo home, N Tasmota lamps (lamp-1..lamp-N), for load tests.</summary>
    public int Lamps { get; set; }
    /// <summary>Scope of the token printed at start.</summary>
    public string TokenScope { get; set; } = "admin";

    public IEnumerable<string> Validate()
    {
        if (Lamps is < 0 or > 10_000) yield return "Demo:Lamps must be 0..10000";
        if (!Security.TokenScopes.TryParse(TokenScope, out _)) yield return "Demo:TokenScope must be control, install or admin";
    }
}
