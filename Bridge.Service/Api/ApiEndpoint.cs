using Bridge.Protocols.Api;
using Bridge.Service.Security;
using Bridge.Runtime.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Api;

/// <summary>Maps <c>/api/v1/ws</c>: checks the token before the upgrade (401 otherwise), then runs a session.</summary>
public static class ApiEndpoint
{
    public static void MapBridgeApi(this WebApplication app)
    {
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.MapPairing();
        app.Map(ApiOptions.Path, async (HttpContext context, TokenService tokens, ApiDispatcher dispatcher, EventHub hub,
            IOptions<ApiOptions> options, ILoggerFactory loggers, IHostApplicationLifetime lifetime) =>
        {
            var token = BearerToken(context.Request);
            if (!tokens.TryVerify(token, out var claims, out var problem))
            {
                context.Response.Headers.WWWAuthenticate = "Bearer";
                await HttpRefusal.WriteAsync(context.Response, StatusCodes.Status401Unauthorized, ErrorCodes.Unauthorized, problem);
                return;
            }
            if (!context.WebSockets.IsWebSocketRequest)
            {
                await HttpRefusal.WriteAsync(context.Response, StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, "this endpoint speaks WebSocket");
                return;
            }
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
            using var revocation = context.RequestServices.GetRequiredService<RevocationWatch>().Watch(claims!.TokenId, stop);
            var session = new ApiSession(socket, claims!, dispatcher, hub, options.Value, loggers.CreateLogger<ApiSession>());
            await session.RunAsync(stop.Token);
        });
    }

    private static string? BearerToken(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return header["Bearer ".Length..].Trim();
        return request.Query["access_token"].FirstOrDefault();
    }
}
