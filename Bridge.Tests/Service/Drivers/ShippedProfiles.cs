using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Tests.Service.Drivers;

/// <summary>The profiles in configs/devices, as the bridge loads them.</summary>
public static class ShippedProfiles
{
    private static readonly Lazy<ProfileCatalog> Catalog = new(() =>
    {
        var problems = new List<string>();
        var catalog = ProfileCatalog.Load(Path.Combine(AppContext.BaseDirectory, "configs", "devices"), problems);
        Assert.Empty(problems);
        return catalog;
    });

    public static DeviceProfile Get(string id) => Catalog.Value.Find(id) ?? throw new KeyNotFoundException(id);

    public static Dictionary<string, string> Texts(List<KeyValuePair<string, StateValue>> state) =>
        state.ToDictionary(kv => kv.Key, kv => kv.Value.ToString());
}
