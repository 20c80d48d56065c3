namespace Bridge.Service.Web;

/// <summary>The web console at <c>/</c>: the files of wwwroot (and the SDK's protocol core, linked in
/// by the project file) served by <c>MapStaticAssets</c>, compressed and fingerprinted at build time.
/// The console is a client of <c>/api/v1/ws</c> like any other; nothing here needs a token.</summary>
public static class ConsoleEndpoints
{
    /// <summary>Maps the console's files; the security headers and Host/Origin checks come first.</summary>
    public static void MapConsole(this WebApplication app)
    {
        app.MapStaticAssets();
    }

    /// <summary><c>GET /</c> is the console's page: the request is routed as <c>/index.html</c>
    /// (before routing, so the static asset endpoint with its compression and ETag answers it).</summary>
    public static IApplicationBuilder UseConsoleIndex(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path == "/") context.Request.Path = "/index.html";
        return next(context);
    });
}
