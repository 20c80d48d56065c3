using Bridge.Protocols.Model;

namespace Bridge.Service.Devices;

/// <summary>All device profiles, loaded from the profile directory at start.</summary>
public sealed class ProfileCatalog
{
    private readonly Dictionary<string, DeviceProfile> _byId;

    public ProfileCatalog(IEnumerable<DeviceProfile> profiles)
    {
        _byId = profiles.ToDictionary(p => p.Id, StringComparer.Ordinal);
        // Highest priority first, so the most specific match rule wins.
        Ordered = _byId.Values.OrderByDescending(p => p.Priority).ThenBy(p => p.Id, StringComparer.Ordinal).ToArray();
    }

    public IReadOnlyList<DeviceProfile> Ordered { get; }

    public DeviceProfile? Find(string id) => _byId.GetValueOrDefault(id);

    public IEnumerable<DeviceProfile> ForDriver(string driver) => Ordered.Where(p => p.Driver == driver);

    public static ProfileCatalog Load(string dir, List<string> problems)
    {
        var profiles = new List<DeviceProfile>();
        if (!Directory.Exists(dir)) return new ProfileCatalog(profiles);
        foreach (var file in Directory.EnumerateFiles(dir, "*.json").Order(StringComparer.Ordinal))
        {
            var id = Path.GetFileNameWithoutExtension(file);
            if (DeviceProfileReader.Read(id, File.ReadAllBytes(file), problems) is { } profile) profiles.Add(profile);
        }
        if (profiles.Count == 0 && problems.Count == 0) problems.Add($"no device profiles in '{dir}'");
        return new ProfileCatalog(profiles);
    }
}
