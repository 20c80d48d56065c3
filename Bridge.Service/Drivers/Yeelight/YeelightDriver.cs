using System.Globalization;
using System.Runtime.InteropServices;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Protocols.Yeelight;
using Bridge.Service.Commands;
using Bridge.Service.Devices;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Drivers.Yeelight;

/// <summary>Sends capability changes to a Yeelight bulb over its TCP connection (set_power,
/// set_bright, set_ct_abx). A result of <c>["ok"]</c> only says the bulb took the command; the
/// command completes on the bulb's <c>props</c> notification (or, for a value it already had and
/// so will not notify, on a get_prop read back).</summary>
public sealed class YeelightDriver(YeelightBulbs bulbs, DeviceRegistry registry, IOptions<CommandOptions> commandOptions, TimeProvider time) : IDeviceDriver
{
    public const string DriverName = "yeelight";

    public string Name => DriverName;

    public void ValidateProfile(DeviceProfile profile, List<string> problems) => YeelightMapping.Parse(profile, problems);

    public StateValue Expected(Device device, Capability capability, StateValue requested) => requested;

    public async ValueTask SendAsync(Device device, IReadOnlyList<Change> changes, CancellationToken ct)
    {
        var connection = bulbs.Connection(device.Id);
        if (connection is not { IsConnected: true }) throw new CommandFailedException(CommandFailure.Offline(device.Id));
        var mapping = YeelightMapping.For(device.Profile);
        // Switching on goes first and switching off last: a bulb that is off may refuse the rest.
        var ordered = changes.OrderBy(c => c.Capability.Name != "power" ? 1 : c.Value.Text == "on" ? 0 : 2).ToArray();
        var unchanged = ordered.Where(c => device.TryGetState(c.Capability.Name, out var now) && now == c.Value).ToArray();
        var needed = ordered.Length - unchanged.Length + (unchanged.Length > 0 ? 1 : 0);
        if (!bulbs.Quota(device.Id).TryTake(needed, out var retry))
            throw new CommandFailedException(new(ErrorCodes.Busy,
                $"Yeelight bulb '{device.Id}' takes {bulbs.Quota(device.Id).PerMinute} commands a minute; try again in {Math.Ceiling(retry.TotalSeconds)} s"));

        var timeout = commandOptions.Value.ConfirmTimeout;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, deadline.Token);
        try
        {
            foreach (var change in ordered)
            {
                if (unchanged.Contains(change)) continue;
                var map = mapping.Find(change.Capability.Name)!;
                var value = change.Value.IsText && map.ToDevice.TryGetValue(change.Value.Text!, out var wire)
                    ? (YeelightParam)wire
                    : (YeelightParam)(long)Math.Round(change.Value.Number);
                Check(device, map.Method!, await connection.CallAsync(map.Method!, [value, mapping.Effect, mapping.DurationMs], linked.Token).ConfigureAwait(false));
            }
            if (unchanged.Length > 0) await ReadBackAsync(device, connection, mapping, unchanged, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw new CommandFailedException(CommandFailure.TimedOut(device.Id, timeout));
        }
    }

    /// <summary>The bulb sends no props for a value it already has; its get_prop answer is its own report.</summary>
    private async Task ReadBackAsync(Device device, YeelightConnection connection, YeelightMapping mapping, Change[] unchanged, CancellationToken ct)
    {
        var props = unchanged.Select(c => mapping.Find(c.Capability.Name)!.Prop).ToArray();
        var reply = await connection.CallAsync(YeelightMethods.GetProp, props.Select(p => (YeelightParam)p).ToArray(), ct).ConfigureAwait(false);
        Check(device, YeelightMethods.GetProp, reply);
        var report = new List<KeyValuePair<string, StateValue>>(props.Length);
        mapping.Read(props.Zip(reply.Results, (p, v) => new KeyValuePair<string, string>(p, v)), report);
        registry.ApplyReport(device, CollectionsMarshal.AsSpan(report));
    }

    private static void Check(Device device, string method, YeelightMessage reply)
    {
        if (reply.Kind != YeelightMessageKind.Error) return;
        var quota = reply.ErrorMessage.Contains("quota", StringComparison.OrdinalIgnoreCase);
        throw new CommandFailedException(new(quota ? ErrorCodes.Busy : ErrorCodes.Internal,
            string.Create(CultureInfo.InvariantCulture, $"Yeelight bulb '{device.Id}' refused {method}: {reply.ErrorCode} {reply.ErrorMessage}")));
    }
}
