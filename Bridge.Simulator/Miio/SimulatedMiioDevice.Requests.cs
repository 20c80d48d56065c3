using System.Buffers;
using System.Net.NetworkInformation;
using System.Text.Json;
using Bridge.Protocols.Miio;

namespace Bridge.Simulator.Miio;

/// <summary>What the simulated device answers to one datagram.</summary>
public sealed partial class SimulatedMiioDevice
{
    private byte[]? Answer(ReadOnlySpan<byte> datagram)
    {
        byte[] token;
        lock (_gate) token = _token;
        var status = MiioPacketCodec.TryRead(datagram, token, out var packet, out _);
        if (status == MiioDecodeStatus.Hello)
        {
            Interlocked.Increment(ref _hellos);
            var hello = MiioPacketCodec.HelloAnswer(Did, Stamp);
            if (Unprovisioned) token.CopyTo(hello, 16);
            return hello;
        }
        if (status != MiioDecodeStatus.Packet)
        {
            Interlocked.Increment(ref _ignored);
            // Well framed but not in its token: most firmware stays silent, some answer in their own.
            return AnswersWrongToken && datagram.Length > MiioPacketCodec.HeaderBytes ? Packet(token, MiioJson.Error(0, -5001, "invalid arg")) : null;
        }
        if (packet.DeviceId != Did || Math.Abs((long)packet.Stamp - Stamp) > (long)StampWindow.TotalSeconds)
        {
            Interlocked.Increment(ref _ignored);
            return null;
        }
        if (!MiioJson.TryReadRequest(packet.Body, out var id, out var method, out var parameters, out _))
        {
            Interlocked.Increment(ref _ignored);
            return null;
        }
        lock (_gate)
        {
            // A repeated id is a client's retransmission: the same answer again, nothing done twice.
            if (_last is { } last && last.Id == id) return last.Reply;
        }
        Interlocked.Increment(ref _requests);
        var body = method switch
        {
            "miIO.info" => MiioJson.Result(id, WriteInfo),
            "get_properties" => Properties(id, parameters, write: false),
            "set_properties" => Properties(id, parameters, write: true),
            _ => MiioJson.Error(id, -32601, "Method not found."),
        };
        var reply = Packet(token, body);
        lock (_gate) _last = (id, reply);
        Handled?.Invoke(method);
        return reply;
    }

    private byte[] Packet(byte[] token, byte[] body)
    {
        var output = new ArrayBufferWriter<byte>(body.Length + 64);
        MiioPacketCodec.Write(output, token, Did, Stamp, body);
        return output.WrittenSpan.ToArray();
    }

    private void WriteInfo(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteNumber("life", Stamp);
        w.WriteString("model", Model);
        w.WriteString("fw_ver", "2.1.9_0049");
        w.WriteString("hw_ver", "esp32");
        w.WriteString("mac", MacOf(Did));
        w.WriteString("miio_ver", "0.0.9");
        w.WriteStartObject("ap");
        w.WriteString("ssid", "home");
        w.WriteString("bssid", "02:00:00:00:00:01");
        w.WriteNumber("rssi", -52);
        w.WriteEndObject();
        w.WriteStartObject("netif");
        w.WriteString("localIp", Address.ToString());
        w.WriteString("mask", "255.0.0.0");
        w.WriteString("gw", "127.0.0.1");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static string MacOf(uint did) =>
        string.Join(':', new PhysicalAddress([0x64, 0x90, (byte)(did >> 24), (byte)(did >> 16), (byte)(did >> 8), (byte)did]).GetAddressBytes().Select(b => b.ToString("X2")));

    /// <summary>get/set_properties: one entry per property asked, each with its own code
    /// (0 ok, −4002 not writable, −4003 no such property, −4005 bad value); more than 15 is refused.</summary>
    private byte[] Properties(long id, JsonElement parameters, bool write)
    {
        if (parameters.ValueKind != JsonValueKind.Array) return MiioJson.Error(id, -5001, "invalid arg");
        if (parameters.GetArrayLength() > MiioJson.MaxPropertiesPerRequest) return MiioJson.Error(id, -5001, "invalid arg");
        var results = new List<(JsonElement Did, int Siid, int Piid, int Code, JsonElement? Value)>();
        foreach (var e in parameters.EnumerateArray())
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty("siid", out var s) || !s.TryGetInt32(out var siid)
                || !e.TryGetProperty("piid", out var p) || !p.TryGetInt32(out var piid))
                return MiioJson.Error(id, -5001, "invalid arg");
            var did = e.TryGetProperty("did", out var d) ? d.Clone() : JsonSerializer.SerializeToElement(Did.ToString());
            if (!_properties.TryGetValue((siid, piid), out var property)) { results.Add((did, siid, piid, -4003, null)); continue; }
            if (!write) { results.Add((did, siid, piid, 0, property.Value)); continue; }
            if (!property.Writable) { results.Add((did, siid, piid, -4002, null)); continue; }
            if (!e.TryGetProperty("value", out var value) || !property.Accepts(value)) { results.Add((did, siid, piid, -4005, null)); continue; }
            property.Value = value.Clone();
            results.Add((did, siid, piid, 0, null));
        }
        return MiioJson.Result(id, w =>
        {
            w.WriteStartArray();
            foreach (var (did, siid, piid, code, value) in results)
            {
                w.WriteStartObject();
                w.WritePropertyName("did");
                did.WriteTo(w);
                w.WriteNumber("siid", siid);
                w.WriteNumber("piid", piid);
                w.WriteNumber("code", code);
                if (value is { } v)
                {
                    w.WritePropertyName("value");
                    v.WriteTo(w);
                }
                w.WriteEndObject();
            }
            w.WriteEndArray();
        });
    }
}
