using System.Collections.Immutable;
using Bridge.Service.Devices;

namespace Bridge.Service.Household;

/// <summary>Everything the household has said, at one moment: names and rooms by device id,
/// scenes and timers by id. Immutable, so a change is built aside, saved, and only then made
/// current: a save that fails leaves nothing changed.</summary>
public sealed record HouseholdSnapshot(
    ImmutableSortedDictionary<string, DeviceLabel> Labels,
    ImmutableSortedDictionary<string, Scene> Scenes,
    ImmutableSortedDictionary<string, HouseholdTimer> Timers)
{
    public static readonly HouseholdSnapshot Empty = new(
        ImmutableSortedDictionary.Create<string, DeviceLabel>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, Scene>(StringComparer.Ordinal),
        ImmutableSortedDictionary.Create<string, HouseholdTimer>(StringComparer.Ordinal));
}
