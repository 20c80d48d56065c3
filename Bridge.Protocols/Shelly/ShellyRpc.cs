using System.Buffers;
using System.Text.Json;

namespace Bridge.Protocols.Shelly;

/// <summary>Writes Shelly JSON-RPC frames.</summary>
public static class ShellyRpc
{
    public const string ShellyGetDeviceInfo = "Shelly.GetDeviceInfo";
    public const string ShellyGetStatus = "Shelly.GetStatus";
    public const string NotifyStatus = "NotifyStatus";
    public const string NotifyFullStatus = "NotifyFullStatus";
    public const string NotifyEvent = "NotifyEvent";

    /// <summary>A request: <c>{"id":..,"src":..,"method":..,"params":{..}}</c>; <paramref name="writeParams"/> writes the params' members.</summary>
    public static void WriteRequest<TState>(IBufferWriter<byte> output, long id, string src, string method, TState state, Action<Utf8JsonWriter, TState>? writeParams)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteString("src", src);
        w.WriteString("method", method);
        if (writeParams is not null)
        {
            w.WriteStartObject("params");
            writeParams(w, state);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>A response to a request, as a device sends it.</summary>
    public static void WriteResponse<TState>(IBufferWriter<byte> output, long id, string src, string dst, TState state, Action<Utf8JsonWriter, TState> writeResult)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteString("src", src);
        w.WriteString("dst", dst);
        w.WriteStartObject("result");
        writeResult(w, state);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteError(IBufferWriter<byte> output, long id, string src, string dst, int code, string message)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteNumber("id", id);
        w.WriteString("src", src);
        w.WriteString("dst", dst);
        w.WriteStartObject("error");
        w.WriteNumber("code", code);
        w.WriteString("message", message);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>A notification (NotifyStatus, NotifyFullStatus, NotifyEvent) as a device sends it.</summary>
    public static void WriteNotification<TState>(IBufferWriter<byte> output, string src, string dst, string method, double ts, TState state, Action<Utf8JsonWriter, TState> writeParams)
    {
        using var w = new Utf8JsonWriter(output);
        w.WriteStartObject();
        w.WriteString("src", src);
        w.WriteString("dst", dst);
        w.WriteString("method", method);
        w.WriteStartObject("params");
        w.WriteNumber("ts", ts);
        writeParams(w, state);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
