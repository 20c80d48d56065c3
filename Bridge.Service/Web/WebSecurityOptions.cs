namespace Bridge.Service.Web;

/// <summary><c>Api:Hosts</c> and <c>Api:AllowedOrigins</c>: who may reach the bridge's HTTP port by
/// name, and which other web origins may open its WebSocket (CONTRACT.md, "The web console").</summary>
public sealed class WebSecurityOptions
{
    public const string Section = "Api";

    /// <summary>Host names accepted besides IP literals, <c>localhost</c> and <c>.local</c> names
    /// (e.g. <c>bridge.example.lan</c>); anything else is refused with 421 against DNS rebinding.</summary>
    public string[] Hosts { get; set; } = [];

    /// <summary>http(s) origins (<c>scheme://host[:port]</c>) whose pages may open the API's WebSocket.</summary>
    public string[] AllowedOrigins { get; set; } = [];

    public IEnumerable<string> Validate()
    {
        for (var i = 0; i < Hosts.Length; i++)
            if (Uri.CheckHostName(Hosts[i]) is UriHostNameType.Unknown)
                yield return $"Api:Hosts:{i} must be a host name such as bridge.example.lan, not '{Hosts[i]}'";
        for (var i = 0; i < AllowedOrigins.Length; i++)
            if (OriginOf(AllowedOrigins[i]) is null)
                yield return $"Api:AllowedOrigins:{i} must be an origin such as https://console.example.com (no path), not '{AllowedOrigins[i]}'";
    }

    /// <summary>An http(s) origin normalised (lower case, default port dropped), or null when it is not one.</summary>
    public static string? OriginOf(string text)
    {
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri)) return null;
        if (uri.Scheme is not ("http" or "https")) return null;
        if (uri.AbsolutePath != "/" || uri.Query.Length > 0 || uri.Fragment.Length > 0 || uri.UserInfo.Length > 0) return null;
        return uri.IsDefaultPort ? $"{uri.Scheme}://{uri.IdnHost}" : $"{uri.Scheme}://{uri.IdnHost}:{uri.Port}";
    }
}
