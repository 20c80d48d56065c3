namespace Bridge.Service.Relay;

/// <summary><c>Relay:*</c>: the outbound link to a relay, for phones away from home. Absent Url: no link.</summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";
    /// <summary>Where bridges connect on the relay.</summary>
    public const string LinkPath = "/api/v1/bridge";

    /// <summary>The relay's base URL, <c>ws://host:port</c> or <c>wss://host</c>; or several nodes of one
    /// relay separated by commas, tried in turn: each redial (after a failed attempt or a lost link)
    /// goes to the next, so a bridge whose node died links to a surviving one.</summary>
    public string? Url { get; set; }
    /// <summary>How often the bridge pings the relay; a link silent for three of these is dropped and redialled.</summary>
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(15);
    /// <summary>First wait before redialling; doubles per failed attempt up to <see cref="ReconnectMax"/>, with jitter.</summary>
    public TimeSpan ReconnectMin { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan ReconnectMax { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Frames queued from one relayed client before the bridge closes that session.</summary>
    public int SessionReceiveQueue { get; set; } = 1024;

    public bool Enabled => !string.IsNullOrWhiteSpace(Url);

    /// <summary>Each relay node's base URL, in the order given.</summary>
    public IReadOnlyList<string> Urls => (Url ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    public IReadOnlyList<Uri> LinkUris => Urls.Select(u => new Uri(u.TrimEnd('/') + LinkPath)).ToArray();

    public IEnumerable<string> Validate()
    {
        foreach (var url in Urls)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("ws" or "wss") ||
                !string.IsNullOrEmpty(uri.Query) || uri.AbsolutePath != "/")
                yield return $"Relay:Url must be ws://host:port or wss://host (no path or query), several separated by commas; not '{url}'";
        }
        if (Enabled && Urls.Count == 0) yield return $"Relay:Url names no relay: '{Url}'";
        if (HeartbeatInterval < TimeSpan.FromSeconds(1) || HeartbeatInterval > TimeSpan.FromMinutes(5))
            yield return "Relay:HeartbeatInterval must be between 1 second and 5 minutes";
        if (ReconnectMin < TimeSpan.FromMilliseconds(10) || ReconnectMin > ReconnectMax)
            yield return "Relay:ReconnectMin must be at least 00:00:00.01 and at most Relay:ReconnectMax";
        if (ReconnectMax > TimeSpan.FromHours(1)) yield return "Relay:ReconnectMax must be at most 1 hour";
        if (SessionReceiveQueue < 16) yield return "Relay:SessionReceiveQueue must be at least 16";
    }
}
