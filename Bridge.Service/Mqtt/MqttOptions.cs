using System.Net;

namespace Bridge.Service.Mqtt;

/// <summary><c>Mqtt:*</c>: an external broker by <see cref="Url"/>, else the embedded one.</summary>
public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>e.g. <c>mqtt://127.0.0.1:1883</c>; absent: the embedded broker.</summary>
    public string? Url { get; set; }
    public string Bind { get; set; } = "0.0.0.0";
    public int Port { get; set; } = 1883;
    public string? Username { get; set; }
    public string? Password { get; set; }
    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Let clients without a user name into the embedded broker with every right (the behaviour
    /// before accounts); warned about at every start. A client that gives a user name is checked anyway.</summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>Accounts made by hand (<c>Mqtt:Accounts:&lt;n&gt;:…</c>), besides those the bridge makes per device.</summary>
    public List<Accounts.MqttAccountOptions> Accounts { get; set; } = [];

    public bool Embedded => string.IsNullOrWhiteSpace(Url);

    public IEnumerable<string> Validate()
    {
        if (!Embedded)
        {
            if (!Uri.TryCreate(Url, UriKind.Absolute, out var uri) || uri.Scheme is not ("mqtt" or "tcp") || string.IsNullOrEmpty(uri.Host))
                yield return $"Mqtt:Url must look like mqtt://host:port, not '{Url}'";
        }
        if (!IPAddress.TryParse(Bind, out _)) yield return $"Mqtt:Bind must be an IP address, not '{Bind}'";
        if (Port is < 0 or > 65535) yield return $"Mqtt:Port must be 0..65535, not {Port}";
        if (KeepAlive < TimeSpan.FromSeconds(1)) yield return "Mqtt:KeepAlive must be at least 1 s";
        if (MaxReconnectDelay < TimeSpan.FromSeconds(1)) yield return "Mqtt:MaxReconnectDelay must be at least 1 s";
        for (var i = 0; i < Accounts.Count; i++)
            foreach (var problem in Accounts[i].Validate(i)) yield return problem;
        foreach (var twice in Accounts.Where(a => !string.IsNullOrEmpty(a.Username)).GroupBy(a => a.Username).Where(g => g.Count() > 1))
            yield return $"Mqtt:Accounts: the user name '{twice.Key}' is given twice";
    }

    /// <summary>Host and port of the broker the bridge's client connects to.</summary>
    public (string Host, int Port) ClientTarget(int embeddedPort)
    {
        if (Embedded)
        {
            var host = Bind is "0.0.0.0" ? "127.0.0.1" : Bind is "::" ? "::1" : Bind;
            return (host, embeddedPort);
        }
        var uri = new Uri(Url!);
        return (uri.Host, uri.Port > 0 ? uri.Port : 1883);
    }
}
