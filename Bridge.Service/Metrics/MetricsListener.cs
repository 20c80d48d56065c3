using System.Net;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Bridge.Service.Metrics;

/// <summary>Keeps <c>/metrics</c> and <c>/healthz</c> on their own listener when <c>Metrics:Bind</c>/<c>Port</c>
/// give them one: connections to it are marked as they are accepted, and requests are sorted by that mark
/// (only those two paths there; everything but them on the API's listener), whatever port 0 turned into.</summary>
public static class MetricsListener
{
    private static readonly object Mark = new();

    public static readonly string[] Paths = ["/metrics", "/healthz"];

    /// <summary>The listener of their own that the configuration asks for; null when they share the API's, or
    /// when an address is bad (the options checks report that).</summary>
    public static IPEndPoint? Of(IConfiguration config)
    {
        var api = new Api.ApiOptions();
        var metrics = new MetricsOptions();
        try
        {
            config.GetSection(Api.ApiOptions.Section).Bind(api);
            config.GetSection(MetricsOptions.Section).Bind(metrics);
        }
        catch (InvalidOperationException)
        {
            return null;
        }
        if (metrics.Validate().Any() || !IPAddress.TryParse(api.Bind, out _)) return null;
        return metrics.SeparateFrom(api);
    }

    /// <summary>Adds the listener to Kestrel when the options ask for one of its own.</summary>
    public static void Listen(KestrelServerOptions kestrel, IPEndPoint? separate)
    {
        if (separate is null) return;
        kestrel.Listen(separate, listen => listen.Use(next => connection =>
        {
            connection.Items[Mark] = Mark;
            return next(connection);
        }));
    }

    /// <summary>Sorts requests between the two listeners (404 on the wrong one); nothing when they share one.</summary>
    public static void UseMetricsListener(this WebApplication app, bool separate)
    {
        if (!separate) return;
        app.Use(async (context, next) =>
        {
            var onMetrics = context.Features.Get<IConnectionItemsFeature>()?.Items.ContainsKey(Mark) == true;
            var isMetricsPath = Paths.Contains(context.Request.Path.Value, StringComparer.Ordinal);
            if (onMetrics != isMetricsPath)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
            await next(context).ConfigureAwait(false);
        });
    }
}
