using Bridge.Service.Devices;
using Bridge.Service.StartupChecks;

namespace Bridge.Service.Drivers;

/// <summary>At start: every profile names a registered driver, and its mapping suits that driver.
/// Drivers are built only for this check, once every option is known to be valid.</summary>
public sealed class ProfileDriverCheck : IStartupCheck
{
    public bool AfterOptions => true;

    public void Collect(IServiceProvider services, List<string> problems) =>
        services.GetRequiredService<DriverCatalog>().Validate(services.GetRequiredService<ProfileCatalog>(), problems);
}
