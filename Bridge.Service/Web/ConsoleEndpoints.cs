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

    /// <summary>Serves the console's files as the build made them (compressed, with their ETags and
    /// cache headers), also from a build's output. Without this, a build's manifest switches on
    /// ASP.NET's static-assets reloader, which re-reads, re-hashes and re-compresses (at level 0) each
    /// file from source on every request so an edited file shows at once: that tripled the console's
    /// first load and made each module wait 100–300 ms (docs/benchmarks.md, "Web console").
    /// <c>ASPNETCORE_ENVIRONMENT=Development</c>, or <c>ReloadStaticAssetsAtRuntime=true</c>, keeps the reloader.</summary>
    public static void ServeAssetsAsBuilt(ConfigurationManager config, IHostEnvironment environment)
    {
        if (!environment.IsDevelopment()) config["ReloadStaticAssetsAtRuntime"] ??= "false";
    }

    /// <summary><c>GET /</c> is the console's page: the request is routed as <c>/index.html</c>
    /// (before routing, so the static asset endpoint with its compression and ETag answers it).</summary>
    public static IApplicationBuilder UseConsoleIndex(this IApplicationBuilder app) => app.Use((context, next) =>
    {
        if (context.Request.Path == "/") context.Request.Path = "/index.html";
        return next(context);
    });
}
