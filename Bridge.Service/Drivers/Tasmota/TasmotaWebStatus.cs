using System.Text.Json;
using static Bridge.Service.Drivers.Mapping.MappingSection;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>What the bridge needs from a Tasmota's <c>Status 0</c> answer (PROTOCOLS.md, "Tasmota in AP mode and
/// its HTTP command API"): its topic (<c>Status.Topic</c>, its id in the bridge), MAC (<c>StatusNET.Mac</c>, 12
/// upper-case hex digits here), host name and friendly name, and the broker it is set to (<c>StatusMQT</c>).</summary>
public sealed record TasmotaWebStatus(string Topic, string Mac, string? Hostname, string? Name, string MqttHost, int MqttPort)
{
    /// <summary>Reads an answer from the network; false with the problem, never throws.</summary>
    public static bool TryRead(JsonElement answer, out TasmotaWebStatus? status, out string problem)
    {
        status = null;
        problem = "";
        if (answer.ValueKind != JsonValueKind.Object || !Object(answer, "Status", out var basic) || !Object(answer, "StatusNET", out var net))
        {
            problem = "the answer to 'Status 0' has no Status and StatusNET";
            return false;
        }
        var topic = Str(basic, "Topic");
        if (string.IsNullOrEmpty(topic))
        {
            problem = "the answer to 'Status 0' names no Topic";
            return false;
        }
        var mac = (Str(net, "Mac") ?? "").Replace(":", "", StringComparison.Ordinal).Replace("-", "", StringComparison.Ordinal).ToUpperInvariant();
        if (mac.Length != 12 || !mac.All(Uri.IsHexDigit))
        {
            problem = "the answer to 'Status 0' has no MAC of 12 hex digits";
            return false;
        }
        string? name = null;
        if (basic.TryGetProperty("FriendlyName", out var names) && names.ValueKind == JsonValueKind.Array && names.GetArrayLength() > 0
            && names[0].ValueKind == JsonValueKind.String)
            name = names[0].GetString();
        name ??= Str(basic, "DeviceName");
        var host = "";
        var port = 0;
        if (Object(answer, "StatusMQT", out var mqtt))
        {
            host = Str(mqtt, "MqttHost") ?? "";
            port = Int(mqtt, "MqttPort") ?? 0;
        }
        status = new TasmotaWebStatus(topic, mac, Str(net, "Hostname"), name, host, port);
        return true;
    }

    private static bool Object(JsonElement e, string name, out JsonElement value) =>
        e.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object;
}
