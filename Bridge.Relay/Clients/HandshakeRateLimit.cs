using System.Globalization;
using System.Net;
using Bridge.Protocols.Api;
using Bridge.Protocols.Net;
using Bridge.Relay.Settings;
using Bridge.Relay.Metrics;
using Bridge.Runtime.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Relay.Clients;

/// <summary>Connection attempts per remote address (a token bucket each), checked before any token
/// or signature work: a flood of upgrades from one address gets 429 with Retry-After and is counted,
/// while other addresses connect as usual. Open connections are capped separately (<see cref="AddressLimiter"/>).</summary>
public sealed class HandshakeRateLimit(IOptions<RelayOptions> options, TimeProvider time)
{
    private readonly KeyedTokenBuckets<IPAddress> _buckets =
        new(options.Value.HandshakesPerSecondPerAddress, options.Value.HandshakeBurstPerAddress, time);

    /// <summary>IPv6 addresses count by their /64 (<see cref="RateLimitKey"/>): one host can hold a whole prefix.</summary>
    public bool TryTake(IPAddress? address) => _buckets.TryTake(RateLimitKey.Of(address));
}

public static class HandshakeRateLimitMiddleware
{
    /// <summary>Applies <see cref="HandshakeRateLimit"/> to the relay's <c>/api/</c> endpoints (bridges
    /// and clients); <c>/healthz</c> and <c>/metrics</c> stay reachable for monitoring.</summary>
    public static void UseHandshakeRateLimit(this WebApplication app) => app.Use(async (context, next) =>
    {
        if (context.Request.Path.StartsWithSegments("/api", StringComparison.Ordinal)
            && !context.RequestServices.GetRequiredService<HandshakeRateLimit>().TryTake(context.Connection.RemoteIpAddress))
        {
            context.RequestServices.GetRequiredService<RelayMetrics>().Refused(RelayMetrics.Refusal.TooManyHandshakes);
            context.Response.Headers.RetryAfter = "1";
            await HttpRefusal.WriteAsync(context.Response, StatusCodes.Status429TooManyRequests,
                ErrorCodes.Busy, "too many connection attempts from your address; retry later");
            return;
        }
        await next(context);
    });
}
