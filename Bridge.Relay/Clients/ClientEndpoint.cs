using Bridge.Relay.Admission;
using Bridge.Protocols.Relay;
using Bridge.Relay.Backplane;
using Bridge.Relay.Settings;
using Bridge.Relay.Links;
using Bridge.Relay.Metrics;
using Bridge.Runtime.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Relay.Clients;

/// <summary><c>/api/v1/bridges/{id}/ws</c>: the local API's v1 protocol, relayed. Every refusal
/// happens here, before anything reaches a bridge: 429 over the per-address cap, 404 for a bridge id
/// this relay has never seen, 401/403 for a bad token (signature checked with the bridge's registered
/// key, issuer, expiry, revocation), 503 when the bridge is not linked now (or, with several nodes,
/// when this node cannot reach Redis to find the node that holds it).</summary>
public static class ClientEndpoint
{
    public const string Pattern = "/api/v1/bridges/{bridgeId}/ws";

    public static void MapClients(this WebApplication app)
    {
        app.Map(Pattern, async (HttpContext context, string bridgeId, IRelayBackplane backplane, LinkRegistry links,
            AddressLimiter limiter, TokenRateLimiter rates, RelayMetrics metrics, BackplaneMetrics backplaneMetrics, IOptions<RelayOptions> options,
            TimeProvider time, IHostApplicationLifetime lifetime) =>
        {
            var address = context.Connection.RemoteIpAddress;
            if (!limiter.TryAcquire(address))
            {
                metrics.Refused(RelayMetrics.Refusal.TooManyConnections);
                await Refuse(context, StatusCodes.Status429TooManyRequests, "busy", "too many connections from your address");
                return;
            }
            try
            {
                System.Security.Cryptography.ECDsa? key;
                try
                {
                    key = BridgeIds.LooksValid(bridgeId) ? await backplane.GetKeyAsync(bridgeId) : null;
                }
                catch (BackplaneUnavailableException)
                {
                    await RefuseUnavailable(context, backplaneMetrics);
                    return;
                }
                if (key is null)
                {
                    metrics.Refused(RelayMetrics.Refusal.UnknownBridge);
                    await Refuse(context, StatusCodes.Status404NotFound, "unknown_bridge", "this relay has never seen that bridge");
                    return;
                }
                var token = BearerToken(context.Request);
                var verdict = TokenCheck.Verify(token, key, bridgeId, time.GetUtcNow(), jti => backplane.IsRevoked(bridgeId, jti), out var problem, out var tokenId);
                if (verdict != TokenVerdict.Valid)
                {
                    var forbidden = verdict == TokenVerdict.Forbidden;
                    metrics.Refused(forbidden ? RelayMetrics.Refusal.Forbidden : RelayMetrics.Refusal.Unauthorized);
                    if (!forbidden) context.Response.Headers.WWWAuthenticate = "Bearer";
                    await Refuse(context, forbidden ? StatusCodes.Status403Forbidden : StatusCodes.Status401Unauthorized,
                        forbidden ? "forbidden" : "unauthorized", problem);
                    return;
                }
                if (!context.WebSockets.IsWebSocketRequest)
                {
                    metrics.Refused(RelayMetrics.Refusal.NotWebSocket);
                    await Refuse(context, StatusCodes.Status400BadRequest, "bad_request", "this endpoint speaks WebSocket");
                    return;
                }
                IBridgeRoute? link = links.Find(bridgeId);
                try
                {
                    link ??= await backplane.FindRemoteAsync(bridgeId);
                }
                catch (BackplaneUnavailableException)
                {
                    await RefuseUnavailable(context, backplaneMetrics);
                    return;
                }
                if (link is null)
                {
                    metrics.Refused(RelayMetrics.Refusal.BridgeOffline);
                    await Refuse(context, StatusCodes.Status503ServiceUnavailable, "bridge_offline", "the bridge is not connected to the relay");
                    return;
                }
                using var socket = await context.WebSockets.AcceptWebSocketAsync();
                metrics.ClientConnected();
                try
                {
                    using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
                    await new ClientSession(socket, link, options.Value, metrics, () => rates.TryTake(tokenId)).RunAsync(token!, stop.Token);
                }
                finally
                {
                    metrics.ClientDisconnected();
                }
            }
            finally
            {
                limiter.Release(address);
            }
        });
    }

    private static Task RefuseUnavailable(HttpContext context, BackplaneMetrics metrics)
    {
        metrics.Refused();
        return Refuse(context, StatusCodes.Status503ServiceUnavailable, "relay_unavailable",
            "this relay node cannot reach the others right now; try again, or another node");
    }

    private static Task Refuse(HttpContext context, int status, string code, string message) =>
        HttpRefusal.WriteAsync(context.Response, status, code, message);

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Query["access_token"].FirstOrDefault();
    }
}
