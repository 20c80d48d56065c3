using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Bridge.Protocols.Relay;
using Bridge.Service.Security;
using Bridge.Runtime.WebSockets;

namespace Bridge.Service.Relay;

/// <summary>The relay would not accept this bridge (for example another key holds its id).</summary>
public sealed class RelayRefusedException(string message) : Exception(message);

/// <summary>The bridge's half of <see cref="RelayHandshake"/>: sign the relay's nonce with the identity key.</summary>
public static class RelayHandshakeClient
{
    public static async Task RunAsync(WebSocket socket, BridgeIdentity identity, CancellationToken ct)
    {
        var nonce = RelayHandshake.ReadNonce(await ReceiveTextAsync(socket, ct)) ?? throw new RelayRefusedException("the relay sent no challenge");
        await socket.SendAsync(Encoding.UTF8.GetBytes(RelayHandshake.Answer(identity.Key, nonce)), WebSocketMessageType.Text, true, ct).ConfigureAwait(false);
        var verdict = await ReceiveTextAsync(socket, ct);
        try
        {
            using var doc = JsonDocument.Parse(verdict);
            var root = doc.RootElement;
            if (root.TryGetProperty("ok", out var ok) && ok.ValueKind == JsonValueKind.True) return;
            throw new RelayRefusedException(root.TryGetProperty("error", out var e) ? e.GetString() ?? "refused" : "refused");
        }
        catch (JsonException)
        {
            throw new RelayRefusedException("the relay's answer is not JSON");
        }
    }

    private static async Task<string> ReceiveTextAsync(WebSocket socket, CancellationToken ct) =>
        await WebSocketMessageBuffer.ReadTextAsync(socket, 4096, ct).ConfigureAwait(false)
            ?? throw new RelayRefusedException("the relay closed the handshake or sent a message that is not short text");
}
