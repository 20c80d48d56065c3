using System.Net;
using System.Text.Json;
using Bridge.Service.Adoption;

namespace Bridge.Service.Drivers.Tasmota;

/// <summary>Runs commands over a Tasmota's HTTP command API: <c>GET http://&lt;address&gt;/cm?cmnd=&lt;command&gt;</c>,
/// with <c>user=admin&amp;password=…</c> when the device has a web password (PROTOCOLS.md, "Tasmota in AP mode and
/// its HTTP command API"). Each call is bounded by its own timeout on the injected clock. The URL carries the
/// web password and may carry the broker account's: neither the URL nor the command ever goes into an
/// exception message or a log, only the command's first word.</summary>
public sealed class TasmotaWebClient(HttpClient http, TimeProvider time)
{
    /// <summary>Tasmota's fixed web user name.</summary>
    public const string WebUser = "admin";

    private const int MaxReplyBytes = 64 * 1024;

    /// <summary>The command's JSON answer (a detached copy).</summary>
    public async Task<JsonElement> CommandAsync(IPEndPoint device, string command, string? webPassword, TimeSpan timeout, CancellationToken ct)
    {
        var name = command.Split(' ', 2)[0];
        using var timer = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timer.Token);
        var query = string.IsNullOrEmpty(webPassword)
            ? "cmnd=" + Uri.EscapeDataString(command)
            : $"user={WebUser}&password={Uri.EscapeDataString(webPassword)}&cmnd={Uri.EscapeDataString(command)}";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{device}/cm?{query}"));
        byte[]? body;
        HttpStatusCode status;
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            status = response.StatusCode;
            body = await BoundedHttpBody.ReadAsync(response.Content, MaxReplyBytes, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timer.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new TasmotaUnreachableException($"{name}: no answer from {device} within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e)
        {
            throw new TasmotaUnreachableException($"{name}: cannot reach {device} ({e.HttpRequestError})");
        }
        catch (IOException)
        {
            throw new TasmotaUnreachableException($"{name}: the connection to {device} broke");
        }
        if (body is null) throw new TasmotaNotTasmotaException($"{name}: the answer from {device} is over {MaxReplyBytes} bytes");
        if (status == HttpStatusCode.Unauthorized) throw new TasmotaWebPasswordException(!string.IsNullOrEmpty(webPassword));
        return Answer(name, device, status, body, !string.IsNullOrEmpty(webPassword));
    }

    /// <summary>The answer as JSON, or what it says instead: Tasmota answers a missing or wrong web password
    /// with status 200 and <c>{"WARNING":"Need user=&lt;username&gt;&amp;password=&lt;password&gt;"}</c>.</summary>
    private static JsonElement Answer(string name, IPEndPoint device, HttpStatusCode status, byte[] body, bool passwordGiven)
    {
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            throw new TasmotaNotTasmotaException($"{name}: what answers at {device} (HTTP {(int)status}) is not Tasmota's command API: the answer is not JSON");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new TasmotaNotTasmotaException($"{name}: what answers at {device} is not Tasmota's command API: the answer is no JSON object");
            if (root.TryGetProperty("WARNING", out var warning) && warning.ValueKind == JsonValueKind.String)
            {
                var text = warning.GetString()!;
                if (text.Contains("password", StringComparison.OrdinalIgnoreCase)) throw new TasmotaWebPasswordException(passwordGiven);
                throw new TasmotaNotTasmotaException($"{name}: the device answered with a warning: {(text.Length > 120 ? text[..120] : text)}");
            }
            if (!((int)status is >= 200 and < 300)) throw new TasmotaNotTasmotaException($"{name}: the device answered HTTP {(int)status}");
            return root.Clone();
        }
    }
}

/// <summary>No connection to the device, no answer in time, or the connection broke.</summary>
public sealed class TasmotaUnreachableException(string message) : Exception(message);

/// <summary>Something answered, but not as Tasmota's command API does (no JSON, too large, a warning).</summary>
public sealed class TasmotaNotTasmotaException(string message) : Exception(message);

/// <summary>The device has a web password and the request carried none or another one.</summary>
public sealed class TasmotaWebPasswordException(bool passwordGiven)
    : Exception(passwordGiven ? "the device refused the web password given" : "the device has a web password and none was given")
{
    public bool PasswordGiven { get; } = passwordGiven;
}
