using System.Net;
using System.Net.WebSockets;
using System.Text;

namespace Bridge.Service.Web;

/// <summary>Opens the console once, as a browser would, before the bridge prints its address: the
/// page and its scripts (compressed), and with a token a WebSocket that subscribes, lists the
/// devices and asks for the temperature history. The first request down each of these paths compiles it (JIT), which cost a person's
/// first visit 0.5–1 s on a fresh bridge (docs/benchmarks.md, "Web console"); afterwards it is
/// paid at start-up, while the bridge is not yet announced. Failure here changes nothing.</summary>
public static class ConsoleWarmUp
{
    private static readonly string[] Files = ["", "lib/core.js", "js/connection.js", "js/app.js", "css/console.css"];

    /// <summary>Runs the warm-up within <paramref name="limit"/>; never throws but for cancellation by <paramref name="ct"/>.</summary>
    public static async Task RunAsync(string consoleUrl, string apiUrl, string? token, ILogger log, TimeSpan limit, CancellationToken ct)
    {
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(limit);
        try
        {
            using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, AutomaticDecompression = DecompressionMethods.All });
            foreach (var file in Files)
                using (var response = await http.GetAsync(consoleUrl + file, cts.Token).ConfigureAwait(false))
                    await response.Content.ReadAsByteArrayAsync(cts.Token).ConfigureAwait(false);
            if (token is not null) await ListDevicesAsync(apiUrl, token, cts.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested && e is HttpRequestException or WebSocketException or OperationCanceledException or IOException)
        {
            log.LogDebug("Console warm-up stopped early: {Reason}", e.Message);
        }
    }

    private static async Task ListDevicesAsync(string apiUrl, string token, CancellationToken ct)
    {
        using var socket = new ClientWebSocket();
        await socket.ConnectAsync(new Uri($"{apiUrl}?access_token={Uri.EscapeDataString(token)}"), ct).ConfigureAwait(false);
        await socket.SendAsync("""{"id":"w1","op":"subscribe"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        await socket.SendAsync("""{"id":"w2","op":"devices"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        // The page asks for the sparklines' history with the devices: its first one compiles too.
        await socket.SendAsync("""{"id":"w3","op":"history"}"""u8.ToArray(), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        // Read to the end of the last reply; each reply starts with its id ({"id":"w3",…}).
        var buffer = new byte[16 * 1024];
        bool atStart = true, inReply = false;
        while (true)
        {
            var r = await socket.ReceiveAsync(buffer, ct).ConfigureAwait(false);
            if (r.MessageType == WebSocketMessageType.Close) return;
            if (atStart) inReply = Encoding.UTF8.GetString(buffer, 0, Math.Min(r.Count, 16)).Contains("\"w3\"", StringComparison.Ordinal);
            atStart = r.EndOfMessage;
            if (inReply && r.EndOfMessage) break;
        }
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "warm", ct).ConfigureAwait(false);
    }
}
