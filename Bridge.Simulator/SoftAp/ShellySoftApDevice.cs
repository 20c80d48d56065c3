using System.Text.Json;
using Bridge.Simulator.Improv;
using Microsoft.AspNetCore.Http;

namespace Bridge.Simulator.SoftAp;

/// <summary>A Shelly Gen2+ fresh out of the box, in access-point mode (protocol digest, "Shelly
/// Gen2+ in AP mode"): <c>GET /shelly</c> (device info, no auth) and <c>POST /rpc</c> with
/// <c>Shelly.GetDeviceInfo</c>, <c>WiFi.SetConfig</c>, <c>WiFi.GetStatus</c> (disconnected →
/// connecting → got ip, or back to disconnected when the settings do not work) and <c>WiFi.Scan</c>.
/// Once joined, <see cref="SoftApDevice.Joined"/> brings its LAN side up (local RPC, mDNS).</summary>
public sealed class ShellySoftApDevice(string id, string model, string app, SimulatedAir air, TimeProvider? time = null)
    : SoftApDevice(id, air, time)
{
    private readonly object _gate = new();
    private string _status = "disconnected";
    private string? _ssid;

    public override string Kind => "shelly";

    public string Id => Name;

    /// <summary>The address it reports once joined.</summary>
    public string LanAddress { get; set; } = "127.0.0.1";

    protected override async Task AnswerAsync(HttpContext ctx, byte[] body)
    {
        var path = ctx.Request.Path.Value;
        if (HttpMethods.IsGet(ctx.Request.Method) && path == "/shelly")
        {
            await WriteAsync(ctx, Info).ConfigureAwait(false);
            return;
        }
        if (!HttpMethods.IsPost(ctx.Request.Method) || path != "/rpc")
        {
            ctx.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        JsonDocument frame;
        try
        {
            frame = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            ctx.Response.StatusCode = StatusCodes.Status400BadRequest;
            return;
        }
        using (frame)
        {
            var root = frame.RootElement;
            var rpcId = root.TryGetProperty("id", out var i) && i.TryGetInt32(out var n) ? n : 0;
            var method = root.TryGetProperty("method", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
            await WriteAsync(ctx, w =>
            {
                w.WriteNumber("id", rpcId);
                w.WriteString("src", Name);
                switch (method)
                {
                    case "Shelly.GetDeviceInfo":
                        w.WriteStartObject("result");
                        Info(w);
                        w.WriteEndObject();
                        break;
                    case "WiFi.SetConfig" when TryStation(root, out var ssid, out var pass):
                        lock (_gate)
                        {
                            _status = "connecting";
                            _ssid = ssid;
                        }
                        Background(async () =>
                        {
                            var outcome = await JoinAsync(ssid, pass).ConfigureAwait(false);
                            lock (_gate) _status = outcome == JoinOutcome.Joined ? "got ip" : "disconnected";
                        });
                        w.WriteStartObject("result");
                        w.WriteBoolean("restart_required", false);
                        w.WriteEndObject();
                        break;
                    case "WiFi.GetStatus":
                        w.WriteStartObject("result");
                        lock (_gate)
                        {
                            w.WriteString("status", _status);
                            if (_status == "got ip")
                            {
                                w.WriteString("sta_ip", LanAddress);
                                w.WriteString("ssid", _ssid);
                                w.WriteNumber("rssi", -45);
                            }
                            else w.WriteNull("sta_ip");
                        }
                        w.WriteEndObject();
                        break;
                    case "WiFi.Scan":
                        w.WriteStartObject("result");
                        w.WriteStartArray("results");
                        foreach (var (ssid, rssi, secure) in Air.Scan())
                        {
                            w.WriteStartObject();
                            w.WriteString("ssid", ssid);
                            w.WriteString("bssid", "00:00:00:00:00:00");
                            w.WriteNumber("auth", secure ? 3 : 0);
                            w.WriteNumber("channel", 6);
                            w.WriteNumber("rssi", rssi);
                            w.WriteEndObject();
                        }
                        w.WriteEndArray();
                        w.WriteEndObject();
                        break;
                    default:
                        w.WriteStartObject("error");
                        w.WriteNumber("code", method is null ? -32600 : -32601);
                        w.WriteString("message", method is null ? "Invalid request" : $"No handler for {method}");
                        w.WriteEndObject();
                        break;
                }
            }, frame: true).ConfigureAwait(false);
        }
    }

    private void Info(Utf8JsonWriter w)
    {
        w.WriteNull("name");
        w.WriteString("id", Name);
        w.WriteString("mac", Name[(Name.LastIndexOf('-') + 1)..].ToUpperInvariant());
        w.WriteNumber("slot", 1);
        w.WriteString("model", model);
        w.WriteNumber("gen", 2);
        w.WriteString("fw_id", "20241011-114455/1.4.4-g6d2a586");
        w.WriteString("ver", "1.4.4");
        w.WriteString("app", app);
        w.WriteBoolean("auth_en", false);
        w.WriteNull("auth_domain");
    }

    private static bool TryStation(JsonElement root, out string ssid, out string pass)
    {
        ssid = pass = "";
        if (!root.TryGetProperty("params", out var p) || p.ValueKind != JsonValueKind.Object
            || !p.TryGetProperty("config", out var c) || c.ValueKind != JsonValueKind.Object
            || !c.TryGetProperty("sta", out var sta) || sta.ValueKind != JsonValueKind.Object
            || !sta.TryGetProperty("ssid", out var s) || s.ValueKind != JsonValueKind.String) return false;
        ssid = s.GetString()!;
        pass = sta.TryGetProperty("pass", out var pw) && pw.ValueKind == JsonValueKind.String ? pw.GetString()! : "";
        return true;
    }

    private static async Task WriteAsync(HttpContext ctx, Action<Utf8JsonWriter> write, bool frame = false)
    {
        ctx.Response.ContentType = "application/json";
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            write(w);
            w.WriteEndObject();
        }
        _ = frame;
        await ctx.Response.Body.WriteAsync(buffer.ToArray(), ctx.RequestAborted).ConfigureAwait(false);
    }

    protected override void Reset()
    {
        lock (_gate)
        {
            _status = "disconnected";
            _ssid = null;
        }
    }
}
