using System.Net;

namespace Bridge.Service.Api;

/// <summary><c>Api:*</c>: the local WebSocket API.</summary>
public sealed class ApiOptions
{
    public const string Section = "Api";
    public const string Path = "/api/v1/ws";

    public string Bind { get; set; } = "0.0.0.0";
    /// <summary>8970: WeChat refuses LAN sockets below 1024 and to 8000–8100, 8443, 8888.</summary>
    public int Port { get; set; } = 8970;
    /// <summary>Requests one connection may have in flight before new ones get <c>busy</c>.</summary>
    public int MaxInFlightPerConnection { get; set; } = 1024;
    /// <summary>Outgoing frames queued per connection; events beyond it are dropped for that client.</summary>
    public int SendQueueLength { get; set; } = 4096;

    public IEnumerable<string> Validate()
    {
        if (!IPAddress.TryParse(Bind, out _)) yield return $"Api:Bind must be an IP address, not '{Bind}'";
        if (Port is < 0 or > 65535) yield return $"Api:Port must be 0..65535, not {Port}";
        if (MaxInFlightPerConnection < 1) yield return "Api:MaxInFlightPerConnection must be at least 1";
        if (SendQueueLength < 16) yield return "Api:SendQueueLength must be at least 16";
    }
}
