using System.Buffers;
using System.Text.Json;

namespace Bridge.Protocols.Yeelight;

/// <summary>Method names the bridge and the simulator use (the spec has more).</summary>
public static class YeelightMethods
{
    public const string GetProp = "get_prop";
    public const string SetPower = "set_power";
    public const string SetBright = "set_bright";
    public const string SetCtAbx = "set_ct_abx";
    public const string Toggle = "toggle";
    public const string Props = "props";
}

/// <summary>Writes the lines that go to a bulb (<c>{"id":1,"method":"set_power","params":["on","smooth",500]}\r\n</c>)
/// and the lines a bulb sends back (results, errors, <c>props</c> notifications).</summary>
public static class YeelightCommand
{
    private static readonly JsonWriterOptions Compact = new() { Indented = false, SkipValidation = true };

    public static void WriteRequest(IBufferWriter<byte> output, long id, string method, ReadOnlySpan<YeelightParam> args)
    {
        using (var w = new Utf8JsonWriter(output, Compact))
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteString("method", method);
            w.WriteStartArray("params");
            foreach (var a in args)
            {
                if (a.IsText) w.WriteStringValue(a.Text);
                else w.WriteNumberValue(a.Number);
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        EndLine(output);
    }

    /// <summary><c>{"id":1,"result":["ok"]}</c> or get_prop's values in request order.</summary>
    public static void WriteResult(IBufferWriter<byte> output, long id, IEnumerable<string> values)
    {
        using (var w = new Utf8JsonWriter(output, Compact))
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteStartArray("result");
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
            w.WriteEndObject();
        }
        EndLine(output);
    }

    public static void WriteError(IBufferWriter<byte> output, long id, int code, string message)
    {
        using (var w = new Utf8JsonWriter(output, Compact))
        {
            w.WriteStartObject();
            w.WriteNumber("id", id);
            w.WriteStartObject("error");
            w.WriteNumber("code", code);
            w.WriteString("message", message);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        EndLine(output);
    }

    /// <summary><c>{"method":"props","params":{"power":"on","bright":"50"}}</c>.</summary>
    public static void WriteProps(IBufferWriter<byte> output, IEnumerable<KeyValuePair<string, string>> props)
    {
        using (var w = new Utf8JsonWriter(output, Compact))
        {
            w.WriteStartObject();
            w.WriteString("method", YeelightMethods.Props);
            w.WriteStartObject("params");
            foreach (var (name, value) in props) w.WriteString(name, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }
        EndLine(output);
    }

    private static void EndLine(IBufferWriter<byte> output)
    {
        var span = output.GetSpan(2);
        span[0] = (byte)'\r';
        span[1] = (byte)'\n';
        output.Advance(2);
    }
}
