using Bridge.Service.Api;
using Bridge.Service.Devices;
using Bridge.Service.StartupChecks;

namespace Bridge.Service.Household;

/// <summary>Registers the household: its store (also the registry's source of names and rooms), the
/// scene runner, the timer scheduler and the ops.</summary>
public static class HouseholdServices
{
    public static IServiceCollection AddHousehold(this IServiceCollection services, IConfiguration config)
    {
        services.AddValidatedOptions<TimersOptions>(config, TimersOptions.Section, o => o.Validate());
        services.AddSingleton<HouseholdStore>();
        services.AddSingleton<IStartupCheck, HouseholdFileCheck>();
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

/// <summary>Reads the household file before start; a damaged one is a start-up problem (exit 2).</summary>
internal sealed class HouseholdFileCheck : IStartupCheck
{
    // Needs Data:Dir valid first.
    public bool AfterOptions => true;

    public void Collect(IServiceProvider services, List<string> problems) =>
        services.GetRequiredService<HouseholdStore>().Load(problems);
}
