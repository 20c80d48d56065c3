using System.Text.Json;

namespace Bridge.Simulator.Shelly;

/// <summary>A Shelly's <c>mqtt</c> config component (PROTOCOLS.md §3.2) as MQTT.GetConfig shows it and
/// MQTT.SetConfig changes it. Immutable: the device keeps the stored one (what GetConfig shows) and the
/// one in effect since boot apart, because a change needs a reboot (<c>restart_required</c>).</summary>
public sealed record ShellyMqttConfig
{
    private const int MaxPrefixLength = 300;

    public bool Enable { get; init; }
    /// <summary><c>host:port</c> of the broker, or null.</summary>
    public string? Server { get; init; }
    /// <summary>null: the device id.</summary>
    public string? ClientId { get; init; }
    /// <summary>null: the device id.</summary>
    public string? TopicPrefix { get; init; }
    public string? User { get; init; }
    /// <summary>Write-only on a real device (never shown by GetConfig); kept to check what the bridge sent.</summary>
    public string? Password { get; init; }
    public bool RpcNotifications { get; init; } = true;
    public bool StatusNotifications { get; init; }
    public bool EnableRpc { get; init; } = true;
    public bool EnableControl { get; init; } = true;

    /// <summary>The broker's host and port, when <see cref="Server"/> names one.</summary>
    public bool TryGetBroker(out string host, out int port)
    {
        host = "";
        port = 1883;
        if (string.IsNullOrWhiteSpace(Server)) return false;
        var colon = Server.LastIndexOf(':');
        if (colon < 0)
        {
            host = Server;
            return true;
        }
        host = Server[..colon].Trim('[', ']');
        return host.Length > 0 && int.TryParse(Server.AsSpan(colon + 1), out port) && port is > 0 and <= 65535;
    }

    /// <summary>The config with the members of a SetConfig <c>config</c> object applied; an error (-103) names
    /// the first bad member and changes nothing.</summary>
    internal ShellyMqttConfig With(JsonElement config, out RpcError? error)
    {
        error = null;
        if (config.ValueKind != JsonValueKind.Object)
        {
            error = RpcError.Missing("config");
            return this;
        }
        var next = this;
        foreach (var member in config.EnumerateObject())
        {
            var v = member.Value;
            switch (member.Name)
            {
                case "enable" when IsBool(v): next = next with { Enable = v.GetBoolean() }; break;
                case "rpc_ntf" when IsBool(v): next = next with { RpcNotifications = v.GetBoolean() }; break;
                case "status_ntf" when IsBool(v): next = next with { StatusNotifications = v.GetBoolean() }; break;
                case "enable_rpc" when IsBool(v): next = next with { EnableRpc = v.GetBoolean() }; break;
                case "enable_control" when IsBool(v): next = next with { EnableControl = v.GetBoolean() }; break;
                case "server" when IsText(v): next = next with { Server = v.GetString() }; break;
                case "client_id" when IsText(v): next = next with { ClientId = v.GetString() }; break;
                case "user" when IsText(v): next = next with { User = v.GetString() }; break;
                case "pass" when IsText(v): next = next with { Password = v.GetString() }; break;
                case "ssl_ca" when IsText(v): break; // accepted; the simulator speaks plain MQTT only
                case "topic_prefix" when IsText(v) && ValidPrefix(v.GetString()): next = next with { TopicPrefix = v.GetString() }; break;
                default:
                    error = RpcError.Invalid(member.Name);
                    return this;
            }
        }
        if (next.Enable && !next.TryGetBroker(out _, out _))
        {
            error = RpcError.Invalid("server");
            return this;
        }
        return next;
    }

    internal void Write(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteBoolean("enable", Enable);
        WriteText(w, "server", Server);
        WriteText(w, "client_id", ClientId);
        WriteText(w, "user", User);
        w.WriteNull("ssl_ca");
        WriteText(w, "topic_prefix", TopicPrefix);
        w.WriteBoolean("rpc_ntf", RpcNotifications);
        w.WriteBoolean("status_ntf", StatusNotifications);
        w.WriteBoolean("use_client_cert", false);
        w.WriteBoolean("enable_rpc", EnableRpc);
        w.WriteBoolean("enable_control", EnableControl);
        w.WriteEndObject();
    }

    private static void WriteText(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }

    private static bool IsBool(JsonElement v) => v.ValueKind is JsonValueKind.True or JsonValueKind.False;

    private static bool IsText(JsonElement v) => v.ValueKind is JsonValueKind.String or JsonValueKind.Null;

    private static bool ValidPrefix(string? prefix) =>
        prefix is null || (prefix.Length is > 0 and <= MaxPrefixLength && prefix[0] != '$' && prefix.IndexOfAny(['#', '+', '%', '?']) < 0);
}
