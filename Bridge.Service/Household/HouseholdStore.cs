using Bridge.Protocols.Api;
using Bridge.Service.Data;
using Bridge.Service.Devices;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Household;

/// <summary>The household's names, rooms, scenes and timers, in memory and in
/// <c>Data:Dir/household.json</c>. Every change is built aside, written crash-safely (temporary
/// file, fsync, rename: <see cref="SecureFile"/>) and only then made current, one change at a time,
/// so what clients see is always what is on disk.</summary>
public sealed class HouseholdStore(IOptions<DataOptions> data, ILogger<HouseholdStore> log) : IDeviceLabels
{
    private readonly Lock _gate = new();
    private HouseholdSnapshot _current = HouseholdSnapshot.Empty;

    public string PathName => Path.Combine(data.Value.Dir, HouseholdFile.FileName);

    public HouseholdSnapshot Current => Volatile.Read(ref _current);

    /// <summary>Raised after a change was saved (the scheduler recomputes its next wake-up).</summary>
    public event Action? Changed;

    /// <summary>Reads the file at start. A damaged file is a start-up problem: the bridge does not
    /// start and lose the household's timers silently; the person running it decides.</summary>
    public void Load(List<string> problems)
    {
        var path = PathName;
        if (!File.Exists(path)) return;
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            problems.Add($"{path} cannot be read ({e.Message}); the household's names, scenes and timers are in it");
            return;
        }
        if (!HouseholdFile.TryRead(content, out var snapshot, out var reason))
        {
            problems.Add($"{path} is damaged: {reason}. It holds the household's names, rooms, scenes and timers, so the bridge " +
                         "does not start without it: repair it, or move it away to start with none");
            return;
        }
        Volatile.Write(ref _current, snapshot);
        log.LogInformation("Household loaded: {Labels} named devices, {Scenes} scenes, {Timers} timers",
            snapshot.Labels.Count, snapshot.Scenes.Count, snapshot.Timers.Count);
    }

    public bool TryGet(string deviceId, out DeviceLabel label) => Current.Labels.TryGetValue(deviceId, out label!);

    /// <summary>Applies one change: <paramref name="change"/> gets the current snapshot and returns
    /// the next one, or an error and nothing changes. Saves before it becomes current.</summary>
    public HouseholdError? Change(Func<HouseholdSnapshot, (HouseholdSnapshot? Next, HouseholdError? Error)> change)
    {
        lock (_gate)
        {
            var (next, error) = change(_current);
            if (error is not null) return error;
            if (next is null || ReferenceEquals(next, _current)) return null;
            try
            {
                SecureFile.WriteAtomically(PathName, HouseholdFile.Write(next), ownerOnly: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log.LogError("Saving the household to {File} failed: {Reason}", PathName, e.Message);
                return new HouseholdError(ErrorCodes.Internal, "the bridge could not save this (" + e.Message + "); nothing changed");
            }
            Volatile.Write(ref _current, next);
        }
        Changed?.Invoke();
        return null;
    }
}
