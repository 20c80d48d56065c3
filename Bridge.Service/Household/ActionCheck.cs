using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Household;

/// <summary>Checks a scene's or timer's actions against the devices the bridge knows when they are
/// saved, with the same rules <c>set</c> applies, and names the action that is wrong.</summary>
public sealed class ActionCheck(DeviceRegistry registry)
{
    public HouseholdError? Check(IReadOnlyList<SceneAction> actions)
    {
        for (var i = 0; i < actions.Count; i++)
        {
            if (CheckOne(actions[i]) is { } problem)
                return problem with { Message = $"action {i} (device '{HouseholdText.ApiTextCut(actions[i].Device)}'): {problem.Message}" };
        }
        return null;
    }

    private HouseholdError? CheckOne(SceneAction action)
    {
        if (!registry.TryGet(action.Device, out var device)) return new(ErrorCodes.UnknownDevice, "no such device");
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var p in action.State.EnumerateObject())
        {
            var cap = device.Profile.Find(p.Name);
            if (cap is null)
                return new(ErrorCodes.UnsupportedCapability,
                    $"no capability '{HouseholdText.ApiTextCut(p.Name)}' (it has: {string.Join(", ", device.Profile.Capabilities.Select(c => c.Name))})");
            if (!seen.Add(p.Name)) return new(ErrorCodes.BadRequest, $"'{p.Name}' appears twice");
            switch (ValueCheck.Check(cap, p.Value, out _, out var message))
            {
                case ValueProblem.ReadOnly: return new(ErrorCodes.UnsupportedCapability, message);
                case ValueProblem.Invalid: return new(ErrorCodes.InvalidValue, message);
            }
        }
        return seen.Count == 0 ? new(ErrorCodes.BadRequest, "'state' names no capability") : null;
    }
}
