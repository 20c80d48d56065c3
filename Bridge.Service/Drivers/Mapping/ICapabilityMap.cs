using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Mapping;

/// <summary>One capability's entry in a profile's protocol section, as a driver parsed it: the common
/// face every protocol's capability map shows, so one lookup serves them all.</summary>
public interface ICapabilityMap
{
    Capability Capability { get; }
}

/// <summary>Looks a capability's map up by the capability's name.</summary>
public static class CapabilityMaps
{
    /// <summary>The map of the capability named <paramref name="capability"/>, or null when the
    /// profile's mapping has none (a capability the profile does not declare).</summary>
    public static T? Find<T>(this IReadOnlyList<T> maps, string capability) where T : class, ICapabilityMap
    {
        for (var i = 0; i < maps.Count; i++)
            if (string.Equals(maps[i].Capability.Name, capability, StringComparison.Ordinal)) return maps[i];
        return null;
    }
}
