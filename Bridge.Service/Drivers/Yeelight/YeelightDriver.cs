using System.Globalization;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Protocols.Yeelight;
using Bridge.Service.Devices;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>Sends capability changes to a Yeelight bulb over its TCP connection (set_power,
/// set_bright, set_ct_abx). Each result carries its request's id, so commands overlap and each is
/// confirmed by the bulb's own answer: <c>["ok"]</c> says the bulb applied exactly that value (the
/// <c>props</c> it sends afterwards are state changes for everyone, and it sends none for a value it
/// already had).</summary>
public sealed class YeelightDriver(YeelightBulbs bulbs) : ICorrelatedDriver
{
    public const string DriverName = "yeelight";

    public string Name => DriverName;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => YeelightMapping.Parse(profile, problems);

    public CommandConcurrency Concurrency(Device device) => CommandConcurrency.Correlated;

    public StateValue Expected(Device device, Capability capability, StateValue requested) => requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct) =>
        await SendConfirmedAsync(device, changes, ct).ConfigureAwait(false);

    public async ValueTask<IReadOnlyList<KeyValuePair<string, StateValue>>> SendConfirmedAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var connection = bulbs.Connection(device.Id);
        if (connection is not { IsConnected: true }) throw new CommandFailedException(CommandFailure.Offline(device.Id));
        var mapping = YeelightMapping.For(device.Profile);
        if (!bulbs.Quota(device.Id).TryTake(changes.Count, out var retry))
            throw new CommandFailedException(new(ErrorCodes.Busy,
                $"Yeelight bulb '{device.Id}' takes {bulbs.Quota(device.Id).PerMinute} commands a minute; try again in {Math.Ceiling(retry.TotalSeconds)} s"));

        // Switching on goes first and switching off last: a bulb that is off may refuse the rest.
        var ordered = changes.OrderBy(c => c.Capability.Name != "power" ? 1 : c.Value.Text == "on" ? 0 : 2);
        var confirmed = new KeyValuePair<string, StateValue>[changes.Count];
        var n = 0;
        foreach (var change in ordered)
        {
            var map = mapping.Find(change.Capability.Name)!;
            var value = change.Value.IsText && map.ToDevice.TryGetValue(change.Value.Text!, out var wire)
                ? (YeelightParam)wire
                : (YeelightParam)(long)Math.Round(change.Value.Number);
            // No deadline of its own: the command's one deadline ends ct.
            Check(device, map.Method!, await connection.CallAsync(map.Method!, [value, mapping.Effect, mapping.DurationMs], ct).ConfigureAwait(false));
            confirmed[n++] = new(change.Capability.Name, change.Value);
        }
        return confirmed;
    }

    private static void Check(Device device, string method, YeelightMessage reply)
    {
        if (reply.Kind != YeelightMessageKind.Error) return;
        var quota = reply.ErrorMessage.Contains("quota", StringComparison.OrdinalIgnoreCase);
        throw new CommandFailedException(new(quota ? ErrorCodes.Busy : ErrorCodes.Internal,
            string.Create(CultureInfo.InvariantCulture, $"Yeelight bulb '{device.Id}' refused {method}: {reply.ErrorCode} {reply.ErrorMessage}")));
    }
}
