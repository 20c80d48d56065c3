using Bridge.Service.Devices;

namespace Bridge.Service.Drivers;

/// <summary>The registered drivers by name; checks at start that every profile names one.</summary>
public sealed class DriverCatalog(IEnumerable<IDeviceDriver> drivers)
{
    private readonly Dictionary<string, IDeviceDriver> _byName = drivers.ToDictionary(d => d.Name, StringComparer.Ordinal);

    public IDeviceDriver Get(string name) =>
        _byName.TryGetValue(name, out var d) ? d : throw new InvalidOperationException($"no driver '{name}'");

    public void Validate(ProfileCatalog profiles, List<string> problems)
    {
        foreach (var p in profiles.Ordered)
        {
            if (_byName.TryGetValue(p.Driver, out var driver)) driver.ValidateProfile(p, problems);
            else problems.Add($"profile '{p.Id}': unknown driver '{p.Driver}' (known: {string.Join(", ", _byName.Keys)})");
        }
    }
}
