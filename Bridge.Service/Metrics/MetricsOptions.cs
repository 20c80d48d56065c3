using System.Net;

namespace Bridge.Service.Metrics;

/// <summary><c>Metrics:*</c>: where <c>/metrics</c> and <c>/healthz</c> are served. Absent: on the local API's
/// address and port. Either set: on a listener of their own (Bind defaults to the API's, Port to the API's),
/// and no longer on the API's port, so they can be kept off the LAN or given to a monitoring network.</summary>
public sealed class MetricsOptions
{
    public const string Section = "Metrics";

    public string? Bind { get; set; }
    public int? Port { get; set; }

    /// <summary>The listener of their own, or null when they share the local API's.</summary>
    public IPEndPoint? SeparateFrom(Api.ApiOptions api)
    {
        if (Bind is null && Port is null) return null;
        var bind = IPAddress.Parse(Bind ?? api.Bind);
        var port = Port ?? api.Port;
        if (bind.Equals(IPAddress.Parse(api.Bind)) && port == api.Port && port != 0) return null;
        return new IPEndPoint(bind, port);
    }

    public IEnumerable<string> Validate()
    {
        if (Bind is not null && !IPAddress.TryParse(Bind, out _)) yield return $"Metrics:Bind must be an IP address, not '{Bind}'";
        if (Port is < 0 or > 65535) yield return $"Metrics:Port must be 0..65535, not {Port}";
    }
}
