using System.Buffers;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Bridge.Protocols.Shelly;
using Bridge.Service.Adoption;

namespace Bridge.Service.Drivers.Shelly;

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
            body = await BoundedHttpBody.ReadAsync(response.Content, MaxReplyBytes, linked.Token).ConfigureAwait(false)
                ?? throw new ShellyUnreachableException($"{method}: the device's reply is over {MaxReplyBytes} bytes");
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

    private byte[] Frame(string method, Action<Utf8JsonWriter>? writeParams)
    {
        var buffer = new ArrayBufferWriter<byte>();
        ShellyRpc.WriteRequest(buffer, Interlocked.Increment(ref _nextId), Source, method, writeParams,
            writeParams is null ? null : static (w, write) => write!(w));
        return buffer.WrittenSpan.ToArray();
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
