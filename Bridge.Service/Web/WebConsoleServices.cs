using Bridge.Service.Devices;
using Bridge.Service.Api;
using Bridge.Service.StartupChecks;

namespace Bridge.Service.Web;

/// <summary>Registers what the web console and the browser-facing checks need.</summary>
public static class WebConsoleServices
{
    public static IServiceCollection AddWebConsole(this IServiceCollection services, IConfiguration config)
    {
        services.AddValidatedOptions<WebSecurityOptions>(config, WebSecurityOptions.Section, o => o.Validate());
        services.AddSingleton<TemperatureHistory>();
        services.AddSingleton<Devices.IDeviceEvents>(sp => sp.GetRequiredService<TemperatureHistory>());
        services.AddApiOp<Ops.HistoryOp>();
        services.AddApiOp<Ops.PairingOp>();
        services.AddApiOp<Ops.RelayStatusOp>();
        return services;
    }

    /// <summary>The headers and checks of <see cref="WebSecurity"/> on every request, before anything else answers.</summary>
    public static IApplicationBuilder UseWebSecurity(this IApplicationBuilder app) => app.UseMiddleware<WebSecurity>();
}
