using Bridge.Relay.Admission;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using Bridge.Protocols.Relay;
using Bridge.Relay.Backplane;
using Bridge.Relay.Settings;
using Bridge.Relay.Metrics;
using Microsoft.Extensions.Options;
using Bridge.Runtime.WebSockets;

namespace Bridge.Relay.Links;

/// <summary><c>/api/v1/bridge</c>: where bridges connect out to. The bridge proves it holds the key
/// its id is derived from (<see cref="RelayHandshake"/>); the first key seen for an id keeps it.</summary>
public static class BridgeLinkEndpoint
{
    public const string Path = "/api/v1/bridge";

    public static void MapBridgeLinks(this WebApplication app)
    {
        app.Map(Path, async (HttpContext context, IRelayBackplane backplane, LinkRegistry links, AddressLimiter limiter,
            RelayMetrics metrics, IOptions<RelayOptions> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime) =>
        {
            var log = loggers.CreateLogger("Bridge.Relay.Links");
            if (!context.WebSockets.IsWebSocketRequest)
            {
                metrics.Refused(RelayMetrics.Refusal.NotWebSocket);
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            var address = context.Connection.RemoteIpAddress;
            if (!limiter.TryAcquire(address))
            {
                metrics.Refused(RelayMetrics.Refusal.TooManyConnections);
                context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                return;
            }
            try
            {
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
                var handshakeStarted = Stopwatch.GetTimestamp();
                var bridgeId = await HandshakeAsync(socket, backplane, options.Value, stop.Token);
                metrics.HandshakeDuration.ObserveSince(handshakeStarted);
                if (bridgeId is null)
                {
                    metrics.Refused(RelayMetrics.Refusal.Handshake);
                    return;
                }
                var link = new BridgeLink(bridgeId, socket, options.Value, backplane, metrics, log);
                links.Add(link)?.Close();
                await backplane.LinkedAsync(bridgeId);
                metrics.BridgeConnected();
                log.LogInformation("Bridge {BridgeId} linked from {Address}", bridgeId, address);
                try
                {
                    // Only now, so a bridge that hears "ok" is already reachable for clients; the
                    // link's sender starts after this, so the answer precedes every envelope.
                    await socket.SendAsync(Encoding.UTF8.GetBytes(RelayHandshake.Accepted(bridgeId)), WebSocketMessageType.Text, true, stop.Token);
                    await link.RunAsync(stop.Token);
                }
                catch (Exception e) when (e is WebSocketException or OperationCanceledException)
                {
                    log.LogDebug("Link of bridge {BridgeId} failed: {Reason}", bridgeId, e.Message);
                }
                finally
                {
                    links.Remove(link);
                    await backplane.UnlinkedAsync(bridgeId);
                    metrics.BridgeDisconnected();
                    log.LogInformation("Bridge {BridgeId} unlinked", bridgeId);
                }
            }
            finally
            {
                limiter.Release(address);
            }
        });
    }

    private static async Task<string?> HandshakeAsync(WebSocket socket, IRelayBackplane backplane, RelayOptions options, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.HandshakeTimeout);
        try
        {
            var challenge = RelayHandshake.NewChallenge(out var nonce);
            await socket.SendAsync(Encoding.UTF8.GetBytes(challenge), WebSocketMessageType.Text, true, timeout.Token);
            // The read itself is not cancelled (that would abort the socket): a bridge too slow to
            // answer (a slowloris upgrade) still hears why it is dropped.
            string? answer;
            try
            {
                answer = await WebSocketMessageBuffer.ReadTextAsync(socket, 4096, ct).WaitAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                using var closing = new CancellationTokenSource(TimeSpan.FromSeconds(1));
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "identity handshake timed out", closing.Token);
                return null;
            }
            string? refusal = null;
            string? bridgeId = null;
            if (answer is null) refusal = "expected the signed answer to the challenge";
            else if (!RelayHandshake.TryVerifyAnswer(answer, nonce, out var key, out var problem)) refusal = problem;
            else if (!await backplane.TryRegisterAsync(bridgeId = BridgeIds.Of(key), key)) refusal = "another key holds that bridge id";
            if (refusal is not null)
            {
                await socket.SendAsync(Encoding.UTF8.GetBytes(RelayHandshake.Refused(refusal)), WebSocketMessageType.Text, true, timeout.Token);
                await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "identity not proven", timeout.Token);
                return null;
            }
            return bridgeId;
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            return null;
        }
    }
}
