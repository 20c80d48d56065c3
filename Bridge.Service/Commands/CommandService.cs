using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Commands;

/// <summary>The command path: validate against the profile, serialise per device, send through
/// the driver, and complete only on the device's own matching report.</summary>
public sealed class CommandService(
    DeviceRegistry registry,
    DriverCatalog drivers,
    IOptions<CommandOptions> options,
    TimeProvider time,
    ILogger<CommandService> log)
{
    private readonly CommandOptions _options = options.Value;

    public async Task<KeyValuePair<string, StateValue>[]> SetAsync(string deviceId, JsonElement requested, CancellationToken ct)
    {
        if (!registry.TryGet(deviceId, out var device)) throw new CommandFailedException(CommandFailure.Unknown(deviceId));
        var changes = Validate(device, requested);
        if (!device.Online) throw new CommandFailedException(CommandFailure.Offline(deviceId, device.OfflineReason));
        var driver = drivers.Get(device.Protocol);

        if (Interlocked.Increment(ref device.QueuedCommands) > _options.MaxQueuedPerDevice)
        {
            Interlocked.Decrement(ref device.QueuedCommands);
            throw new CommandFailedException(new(ErrorCodes.Busy, $"device '{deviceId}' has {_options.MaxQueuedPerDevice} commands waiting"));
        }
        var started = time.GetTimestamp();
        var gateTaken = false;
        try
        {
            // One deadline covers waiting for earlier commands and the device's confirmation.
            if (!await device.CommandGate.WaitAsync(_options.ConfirmTimeout, ct).ConfigureAwait(false))
                throw new CommandFailedException(CommandFailure.TimedOut(deviceId, _options.ConfirmTimeout));
            gateTaken = true;

            var expected = new KeyValuePair<string, StateValue>[changes.Count];
            for (var i = 0; i < changes.Count; i++)
                expected[i] = new(changes[i].Capability.Name, driver.Expected(device, changes[i].Capability, changes[i].Value));
            var pending = new PendingCommand(expected);
            lock (device.Sync)
            {
                if (!device.Online) throw new CommandFailedException(CommandFailure.Offline(deviceId, device.OfflineReason));
                device.Pending = pending;
            }
            try
            {
                await driver.SendAsync(device, changes, ct).ConfigureAwait(false);
                var remaining = _options.ConfirmTimeout - time.GetElapsedTime(started);
                if (remaining <= TimeSpan.Zero) throw new TimeoutException();
                return await pending.Completion.WaitAsync(remaining, time, ct).ConfigureAwait(false);
            }
            catch (TimeoutException)
            {
                log.LogWarning("Device {DeviceId} did not confirm within {Timeout}", deviceId, _options.ConfirmTimeout);
                throw new CommandFailedException(CommandFailure.TimedOut(deviceId, _options.ConfirmTimeout));
            }
            finally
            {
                lock (device.Sync)
                    if (device.Pending == pending) device.Pending = null;
            }
        }
        finally
        {
            if (gateTaken) device.CommandGate.Release();
            Interlocked.Decrement(ref device.QueuedCommands);
        }
    }

    private static List<Change> Validate(Device device, JsonElement requested)
    {
        if (requested.ValueKind != JsonValueKind.Object)
            throw new CommandFailedException(new(ErrorCodes.BadRequest, "'state' must be an object of capability values"));
        var changes = new List<Change>(4);
        foreach (var p in requested.EnumerateObject())
        {
            var cap = device.Profile.Find(p.Name)
                ?? throw new CommandFailedException(new(ErrorCodes.UnsupportedCapability,
                    $"device '{device.Id}' has no capability '{Truncate(p.Name)}' (it has: {string.Join(", ", device.Profile.Capabilities.Select(c => c.Name))})"));
            switch (ValueCheck.Check(cap, p.Value, out var value, out var message))
            {
                case ValueProblem.ReadOnly: throw new CommandFailedException(new(ErrorCodes.UnsupportedCapability, message));
                case ValueProblem.Invalid: throw new CommandFailedException(new(ErrorCodes.InvalidValue, message));
            }
            foreach (var earlier in changes)
                if (earlier.Capability == cap) throw new CommandFailedException(new(ErrorCodes.BadRequest, $"'{cap.Name}' appears twice"));
            changes.Add(new Change(cap, value));
        }
        if (changes.Count == 0) throw new CommandFailedException(new(ErrorCodes.BadRequest, "'state' names no capability"));
        return changes;
    }

    private static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
