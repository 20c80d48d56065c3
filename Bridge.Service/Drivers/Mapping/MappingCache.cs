using System.Collections.Concurrent;
using Bridge.Protocols.Model;

namespace Bridge.Service.Drivers.Mapping;

/// <summary>Keeps one parsed mapping of type <typeparamref name="T"/> per profile, so a driver parses a
/// profile's protocol section once and not on every report or command. Problems are not collected
/// here: the start-up check (<see cref="IDeviceDriver.ValidateProfile"/>, run by
/// <see cref="ProfileDriverCheck"/>) parses every profile and reports them.</summary>
public static class MappingCache<T> where T : class
{
    private static readonly ConcurrentDictionary<DeviceProfile, T> Cache = new();

    public static T For(DeviceProfile profile, Func<DeviceProfile, List<string>, T> parse) =>
        Cache.GetOrAdd(profile, static (p, parse) => parse(p, []), parse);
}
