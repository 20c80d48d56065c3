using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;

namespace Bridge.Service.Provisioning.SoftAp;

/// <summary>A request to a device in access-point mode could not be completed; <see cref="Exception.Message"/>
/// says why in an installer's words (no answer, refused, too large), without the request's body.</summary>
public sealed class SoftApHttpException(string message) : Exception(message);

/// <summary>A device's answer: status and body (at most <see cref="SoftApHttp.MaxAnswer"/> bytes).</summary>
public sealed record SoftApAnswer(HttpStatusCode Status, byte[] Body)
{
    public bool Ok => (int)Status is >= 200 and < 300;
}

/// <summary>HTTP to one device in access-point mode, over one persistent connection (ESP-IDF keys
/// its provisioning session to the socket, protocol digest "Transports and endpoints"): every
/// request bounded by a timeout on the injected clock and every answer by
/// <see cref="MaxAnswer"/> bytes, so a hung or babbling device ends the step with a clear reason.
/// Never logs: bodies carry Wi-Fi passwords.</summary>
public sealed class SoftApHttp : IDisposable
{
    /// <summary>No answer of any kind this talks to comes near this (the largest is a scan page).</summary>
    public const int MaxAnswer = 64 * 1024;

    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;
    private readonly TimeProvider _time;

    public SoftApHttp(Uri device, TimeSpan timeout, TimeProvider time)
    {
        Device = device;
        _timeout = timeout;
        _time = time;
        _http = new HttpClient(new SocketsHttpHandler
        {
            MaxConnectionsPerServer = 1,
            PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseProxy = false,
            AllowAutoRedirect = false,
            ConnectTimeout = timeout,
        }) { BaseAddress = device, Timeout = Timeout.InfiniteTimeSpan };
    }

    public Uri Device { get; }

    public Task<SoftApAnswer> GetAsync(string pathAndQuery, CancellationToken ct) => SendAsync(HttpMethod.Get, pathAndQuery, null, null, ct);

    /// <summary>A POST of raw bytes as esp_prov sends them (form content type, text accepted).</summary>
    public Task<SoftApAnswer> PostBytesAsync(string path, byte[] body, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, body, "application/x-www-form-urlencoded", ct);

    public Task<SoftApAnswer> PostJsonAsync(string path, byte[] json, CancellationToken ct) =>
        SendAsync(HttpMethod.Post, path, json, "application/json", ct);

    private async Task<SoftApAnswer> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType, CancellationToken ct)
    {
        using var deadline = new CancellationTokenSource(_timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, ct);
        using var request = new HttpRequestMessage(method, pathAndQuery);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/plain"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("*/*"));
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
        }
        try
        {
            using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token).ConfigureAwait(false);
            if (response.Content.Headers.ContentLength > MaxAnswer) throw TooLarge();
            await using var stream = await response.Content.ReadAsStreamAsync(linked.Token).ConfigureAwait(false);
            var buffer = new byte[MaxAnswer + 1];
            var length = 0;
            int n;
            while ((n = await stream.ReadAsync(buffer.AsMemory(length), linked.Token).ConfigureAwait(false)) > 0)
            {
                length += n;
                if (length > MaxAnswer) throw TooLarge();
            }
            return new SoftApAnswer(response.StatusCode, buffer[..length]);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new SoftApHttpException($"the device at {Device} did not answer within {_timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.ConnectionRefused } || e.HttpRequestError == HttpRequestError.ConnectionError)
        {
            throw new SoftApHttpException($"nothing answers at {Device} (is this machine on the device's access point, and the device in setup mode?)");
        }
        catch (HttpRequestException e)
        {
            throw new SoftApHttpException($"the connection to {Device} broke ({e.HttpRequestError})");
        }
        catch (IOException)
        {
            throw new SoftApHttpException($"the connection to {Device} broke");
        }
    }

    private SoftApHttpException TooLarge() => new($"the device at {Device} answered with more than {MaxAnswer / 1024} KB, far more than any setup answer");

    public void Dispose() => _http.Dispose();
}
