using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Service.Security;
using Bridge.Runtime.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Api;

/// <summary><c>POST /api/v1/pair</c> {"code","name"}: exchanges the printed pairing code for a token.
/// 400 for a malformed body, 403 for a wrong, used or expired code, 429 while wrong guesses from the
/// caller's address are rate-limited; always a JSON error body like the WebSocket API's.</summary>
public static class PairEndpoint
{
    public const string Path = "/api/v1/pair";
    private const int MaxBodyBytes = 4096;

    public static void MapPairing(this WebApplication app)
    {
        app.MapPost(Path, async (HttpContext context, PairingCodes codes, TokenService tokens, BridgeIdentity identity,
            IOptions<PairingOptions> options) =>
        {
            var (code, name, problem) = await ReadAsync(context.Request);
            if (problem is not null) return Error(StatusCodes.Status400BadRequest, ErrorCodes.BadRequest, problem);
            switch (codes.TryRedeem(code, context.Connection.RemoteIpAddress))
            {
                case PairingOutcome.RateLimited:
                    context.Response.Headers.RetryAfter = "60";
                    return Error(StatusCodes.Status429TooManyRequests, ErrorCodes.Busy, "too many wrong pairing codes from your address; try again in a minute");
                case PairingOutcome.Expired:
                    return Error(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "this pairing code has expired or was used; use the one the bridge shows now");
                case PairingOutcome.Wrong:
                    return Error(StatusCodes.Status403Forbidden, ErrorCodes.Forbidden, "wrong pairing code");
            }
            TokenScopes.TryParse(options.Value.Scope, out var scope);
            var token = tokens.Mint(name!, scope, options.Value.TokenLifetime);
            return Results.Json(new { token, bridge = identity.Id });
        });
    }

    private static IResult Error(int status, string code, string message) =>
        HttpRefusal.Result(status, code, message);

    private static async Task<(string? Code, string? Name, string? Problem)> ReadAsync(HttpRequest request)
    {
        if (request.ContentLength is > MaxBodyBytes) return (null, null, $"body over {MaxBodyBytes} bytes");
        var body = new byte[MaxBodyBytes + 1];
        var length = 0;
        int read;
        while (length < body.Length && (read = await request.Body.ReadAsync(body.AsMemory(length), request.HttpContext.RequestAborted)) > 0)
            length += read;
        if (length > MaxBodyBytes) return (null, null, $"body over {MaxBodyBytes} bytes");
        try
        {
            using var doc = JsonDocument.Parse(body.AsMemory(0, length));
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) return (null, null, "the body must be a JSON object");
            var code = root.TryGetProperty("code", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
            var name = root.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()?.Trim() : null;
            if (code is null) return (null, null, "'code' (a string) is missing");
            if (string.IsNullOrEmpty(name) || name.Length > 64) return (null, null, "'name' must be a string of 1 to 64 characters");
            return (code, name, null);
        }
        catch (JsonException e)
        {
            return (null, null, "malformed JSON: " + e.Message);
        }
    }
}
