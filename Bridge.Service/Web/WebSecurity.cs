using System.Net;
using Bridge.Protocols.Api;
using Bridge.Runtime.Http;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Web;

/// <summary>What a browser needs to be safe with the bridge (CONTRACT.md, "The web console"): every
/// response says scripts, styles and connections come only from the bridge itself and that no
/// other page may frame it, and sends no referrer; a request by a name that is not the bridge's
/// (DNS rebinding) gets 421; a WebSocket upgrade from another web origin gets 403. Clients that
/// are not browsers (mini-programs, tools) send no Origin and are not affected.</summary>
public sealed class WebSecurity(RequestDelegate next, IOptions<WebSecurityOptions> options)
{
    public const string ContentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' data:; " +
        "font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private readonly HashSet<string> _hosts = new(options.Value.Hosts.Select(h => h.TrimEnd('.')), StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _origins = new(options.Value.AllowedOrigins.Select(o => WebSecurityOptions.OriginOf(o)!), StringComparer.OrdinalIgnoreCase);

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers["Referrer-Policy"] = "no-referrer";
        headers.XContentTypeOptions = "nosniff";

        if (!HostAllowed(context.Request.Host))
            return Refuse(context, StatusCodes.Status421MisdirectedRequest,
                $"this bridge is not reached by the name '{context.Request.Host.Host}'; use its IP address, or add the name to Api:Hosts");
        if (IsUpgrade(context.Request) && !OriginAllowed(context.Request))
            return Refuse(context, StatusCodes.Status403Forbidden,
                "a page of another web origin may not open this bridge's WebSocket; add that origin to Api:AllowedOrigins");
        return next(context);
    }

    /// <summary>IP literals, <c>localhost</c>, <c>.local</c> names (mDNS) and the names in Api:Hosts.
    /// A request without a Host (HTTP/1.0) comes from no browser and passes.</summary>
    private bool HostAllowed(HostString host)
    {
        if (!host.HasValue) return true;
        var name = host.Host.TrimEnd('.');
        if (IPAddress.TryParse(name.Trim('[', ']'), out _)) return true;
        if (name.Equals("localhost", StringComparison.OrdinalIgnoreCase)) return true;
        if (name.EndsWith(".local", StringComparison.OrdinalIgnoreCase) && name.Length > ".local".Length) return true;
        return _hosts.Contains(name);
    }

    private static bool IsUpgrade(HttpRequest request) =>
        request.Headers.Upgrade.ToString().Contains("websocket", StringComparison.OrdinalIgnoreCase)
        || request.HttpContext.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpExtendedConnectFeature>()?.IsExtendedConnect == true;

    /// <summary>No Origin, or one that is not http(s) (<c>null</c>, an app's own scheme): not a web
    /// page of another site. An http(s) origin must be the bridge's own, as the browser reached it,
    /// or listed.</summary>
    private bool OriginAllowed(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0) return true;
        if (WebSecurityOptions.OriginOf(origin) is not { } normalised) return true;
        var own = WebSecurityOptions.OriginOf($"{request.Scheme}://{request.Host}");
        return string.Equals(normalised, own, StringComparison.OrdinalIgnoreCase) || _origins.Contains(normalised);
    }

    private static Task Refuse(HttpContext context, int status, string message)
    {
        var code = status == StatusCodes.Status403Forbidden ? ErrorCodes.Forbidden : ErrorCodes.BadRequest;
        return HttpRefusal.WriteAsync(context.Response, status, code, message);
    }
}
