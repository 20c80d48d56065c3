using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Bridge.Service.Adoption;

/// <summary>Calls a Shelly Gen2+ device's local RPC: <c>POST http://&lt;address&gt;:&lt;port&gt;/rpc</c> with a
/// JSON-RPC frame (PROTOCOLS.md §3.1, §3.4). Each call is bounded by its own timeout on the injected
/// clock. Request bodies may carry the broker's password: they are never logged.</summary>
public sealed class ShellyLocalRpc(HttpClient http, TimeProvider time)
{
    private const string Source = "devicebridge";
    private const int MaxReplyBytes = 64 * 1024;
    private int _nextId;

    /// <summary>The call's <c>result</c> (a detached copy; <c>null</c> for methods that return none).</summary>
    public async Task<JsonElement> CallAsync(IPEndPoint device, string method, Action<Utf8JsonWriter>? writeParams, TimeSpan timeout, CancellationToken ct)
    {
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri($"http://{Host(device)}/rpc"))
        {
            Content = new ByteArrayContent(Frame(method, writeParams)),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        byte[] body;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxReplyBytes)
                throw new ShellyUnreachableException($"{method}: the device's reply is too large ({response.Content.Headers.ContentLength} bytes)");
            body = await ReadBoundedAsync(response.Content, method, linked.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode && body.Length == 0)
                throw new ShellyUnreachableException($"{method}: the device answered HTTP {(int)response.StatusCode}");
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new ShellyUnreachableException($"{method}: no answer from {Host(device)} within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            throw new ShellyUnreachableException($"{method}: cannot reach {Host(device)} ({e.HttpRequestError})", e);
        }
        catch (IOException e)
        {
            // The connection broke while the reply's body was read.
            throw new ShellyUnreachableException($"{method}: the connection to {Host(device)} broke ({e.Message})", e);
        }
        return Result(method, body);
    }

    /// <summary>The body, at most <see cref="MaxReplyBytes"/> whatever the device says or leaves out
    /// (a chunked reply has no Content-Length): anything on the LAN can announce itself as a Shelly.</summary>
    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, string method, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var body = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (body.Length + read > MaxReplyBytes)
                throw new ShellyUnreachableException($"{method}: the device's reply is over {MaxReplyBytes} bytes");
            body.Write(chunk, 0, read);
        }
        return body.ToArray();
    }

    private byte[] Frame(string method, Action<Utf8JsonWriter>? writeParams)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", Interlocked.Increment(ref _nextId));
            w.WriteString("src", Source);
            w.WriteString("method", method);
            if (writeParams is not null)
            {
                w.WriteStartObject("params");
                writeParams(w);
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>The frame's <c>result</c>, or its <c>error</c> as an exception.</summary>
    private static JsonElement Result(string method, byte[] body)
    {
        JsonDocument frame;
        try
        {
            frame = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new ShellyUnreachableException($"{method}: the device's answer is not JSON");
        }
        using (frame)
        {
            var root = frame.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new ShellyUnreachableException($"{method}: the device's answer is not a JSON-RPC frame");
            if (root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                var code = error.TryGetProperty("code", out var c) && c.TryGetInt32(out var n) ? n : 0;
                var message = error.TryGetProperty("message", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString()! : "";
                throw new ShellyRpcErrorException(method, code, message.Length > 200 ? message[..200] : message);
            }
            if (!root.TryGetProperty("result", out var result)) throw new ShellyUnreachableException($"{method}: the device's answer has no result");
            return result.Clone();
        }
    }

    private static string Host(IPEndPoint device) => device.ToString();
}
