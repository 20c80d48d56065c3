using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Protocols.Api;

/// <summary>Writes the v1 API's replies and events.</summary>
public static class ApiWriter
{
    private static readonly JsonWriterOptions Options = new() { SkipValidation = true };

    public static Utf8JsonWriter Begin(IBufferWriter<byte> output) => new(output, Options);

    public static void Ok(IBufferWriter<byte> output, string id)
    {
        using var w = Begin(output);
        OkEnvelope(w, id);
        w.WriteEndObject();
    }

    /// <summary>Opens the success envelope every op's reply shares, <c>{"id":…,"ok":true</c>; the op
    /// writes its own members after it and closes the object.</summary>
    public static void OkEnvelope(Utf8JsonWriter w, string id)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteBoolean("ok", true);
    }

    /// <summary><c>"error":{"code":…,"message":…}</c>, the failure member of a reply or of one result.</summary>
    public static void ErrorMember(Utf8JsonWriter w, string code, string message)
    {
        w.WriteStartObject("error");
        w.WriteString("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
    }

    public static void Error(IBufferWriter<byte> output, string? id, string code, string message)
    {
        using var w = Begin(output);
        w.WriteStartObject();
        if (id is null) w.WriteNull("id");
        else w.WriteString("id", id);
        w.WriteBoolean("ok", false);
        ErrorMember(w, code, message);
        w.WriteEndObject();
    }

    /// <summary>Refusal bodies have always been written by ASP.NET's JSON defaults, whose encoder leaves
    /// characters such as <c>'</c>, <c>&lt;</c> and non-ASCII letters as they are; clients read these
    /// bodies, so they keep that escaping rather than the stricter one of the WebSocket replies.</summary>
    private static readonly JsonWriterOptions RefusalOptions = new() { SkipValidation = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary><c>{"ok":false,"error":{"code":…,"message":…}}</c>, the body of an HTTP refusal (a 401
    /// before the WebSocket upgrade, a refused pairing, the relay's 404 …): a failed reply without the
    /// <c>id</c>, as no request carried one.</summary>
    public static void Refusal(IBufferWriter<byte> output, string code, string message)
    {
        using var w = new Utf8JsonWriter(output, RefusalOptions);
        w.WriteStartObject();
        w.WriteBoolean("ok", false);
        ErrorMember(w, code, message);
        w.WriteEndObject();
    }

    public static void State(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, StateValue>> state)
    {
        w.WriteStartObject();
        foreach (var (name, value) in state)
        {
            w.WritePropertyName(name);
            value.WriteTo(w);
        }
        w.WriteEndObject();
    }

    public static void Device(Utf8JsonWriter w, DeviceView device)
    {
        w.WriteStartObject();
        w.WriteString("id", device.Id);
        w.WriteString("name", device.Name);
        if (device.Room is null) w.WriteNull("room");
        else w.WriteString("room", device.Room);
        w.WriteString("kind", device.Kind);
        w.WriteString("protocol", device.Protocol);
        w.WriteBoolean("online", device.Online);
        w.WriteStartObject("capabilities");
        foreach (var cap in device.Capabilities)
        {
            w.WritePropertyName(cap.Name);
            cap.WriteTo(w);
        }
        w.WriteEndObject();
        w.WritePropertyName("state");
        State(w, device.State);
        w.WriteEndObject();
    }

    public static void StateEvent(IBufferWriter<byte> output, string device, IEnumerable<KeyValuePair<string, StateValue>> state)
    {
        using var w = Begin(output);
        w.WriteStartObject();
        w.WriteString("event", "state");
        w.WriteString("device", device);
        w.WritePropertyName("state");
        State(w, state);
        w.WriteEndObject();
    }

    public static void OnlineEvent(IBufferWriter<byte> output, string device, bool online)
    {
        using var w = Begin(output);
        w.WriteStartObject();
        w.WriteString("event", "online");
        w.WriteString("device", device);
        w.WriteBoolean("online", online);
        w.WriteEndObject();
    }

    public static void DeviceAddedEvent(IBufferWriter<byte> output, DeviceView device)
    {
        using var w = Begin(output);
        w.WriteStartObject();
        w.WriteString("event", "device_added");
        w.WritePropertyName("device");
        Device(w, device);
        w.WriteEndObject();
    }

    public static void DeviceRemovedEvent(IBufferWriter<byte> output, string device)
    {
        using var w = Begin(output);
        w.WriteStartObject();
        w.WriteString("event", "device_removed");
        w.WriteString("device", device);
        w.WriteEndObject();
    }
}
