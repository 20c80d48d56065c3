using Bridge.Service.Api;
using Bridge.Service.Devices;

namespace Bridge.Service.Household;

/// <summary>Registers the household: its store (also the registry's source of names and rooms), the
/// scene runner, the timer scheduler and the ops.</summary>
public static class HouseholdServices
{
    public static IServiceCollection AddHousehold(this IServiceCollection services, IConfiguration config)
    {
        services.Configure<TimersOptions>(config.GetSection(TimersOptions.Section));
        services.AddSingleton<HouseholdStore>();
        services.AddSingleton<IDeviceLabels>(sp => sp.GetRequiredService<HouseholdStore>());
        services.AddSingleton<ActionCheck>();
        services.AddSingleton<SceneRunner>();
        services.AddSingleton<TimerScheduler>();
        services.AddHostedService(sp => sp.GetRequiredService<TimerScheduler>());
        services.AddApiOp<UpdateOp>();
        services.AddApiOp<RemoveOp>();
        services.AddApiOp<SceneSaveOp>();
        services.AddApiOp<ScenesOp>();
        services.AddApiOp<SceneRunOp>();
        services.AddApiOp<SceneDeleteOp>();
        services.AddApiOp<TimerSaveOp>();
        services.AddApiOp<TimersOp>();
        services.AddApiOp<TimerDeleteOp>();
        return services;
    }
}
