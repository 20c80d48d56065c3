using System.Text.Json;
using Bridge.Protocols.Api;
using Bridge.Protocols.Model;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Commands;

/// <summary>The command path: validate against the profile, join the device's pending list as its
/// driver's concurrency trait allows, send through the driver, and answer with the state the device
/// confirmed for this command (its own matching report, or its correlated reply).</summary>
public sealed class CommandService(
    DeviceRegistry registry,
    DriverCatalog drivers,
    IOptions<CommandOptions> options,
    TimeProvider time,
    ILogger<CommandService> log)
{
    private readonly CommandOptions _options = options.Value;

    /// <summary>Validates the command, joins it to the device's pending list and sends it. The task
    /// returned is the command's own answer, which its caller waits on directly: answers are released
    /// in sending order, and a caller still busy sending could otherwise take its answer after a later
    /// command's caller took theirs. So the sending runs on its own.</summary>
    public Task<KeyValuePair<string, StateValue>[]> SetAsync(string deviceId, JsonElement requested, CancellationToken ct)
    {
        try
        {
            var (command, queue, device, driver, changes) = Join(deviceId, requested, ct);
            _ = SendAsync(command, queue, device, driver, changes, ct);
            return command.Completion;
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return Task.FromCanceled<KeyValuePair<string, StateValue>[]>(ct);
        }
        catch (Exception e)
        {
            return Task.FromException<KeyValuePair<string, StateValue>[]>(e);
        }
    }

    private (PendingCommand, DeviceCommandQueue, Device, IDeviceDriver, List<Change>) Join(string deviceId, JsonElement requested, CancellationToken ct)
    {
        if (!registry.TryGet(deviceId, out var device)) throw new CommandFailedException(CommandFailure.Unknown(deviceId));
        var changes = Validate(device, requested);
        if (!device.Online) throw new CommandFailedException(CommandFailure.Offline(deviceId, device.OfflineReason));
        ct.ThrowIfCancellationRequested();
        var driver = drivers.Get(device.Protocol);
        var mode = driver.Concurrency(device);
        if (mode == CommandConcurrency.Correlated && driver is not ICorrelatedDriver)
            throw new InvalidOperationException($"driver '{driver.Name}' says correlated but confirms no reply");

        var expected = new KeyValuePair<string, StateValue>[changes.Count];
        for (var i = 0; i < changes.Count; i++)
            expected[i] = new(changes[i].Capability.Name, driver.Expected(device, changes[i].Capability, changes[i].Value));

        DeviceCommandQueue queue;
        PendingCommand command;
        lock (device.Sync)
        {
            if (!device.Online) throw new CommandFailedException(CommandFailure.Offline(deviceId, device.OfflineReason));
            queue = device.Pending as DeviceCommandQueue ?? (DeviceCommandQueue)(device.Pending = new DeviceCommandQueue(device, _options.ConfirmTimeout, log));
            if (queue.CountLocked >= _options.MaxQueuedPerDevice)
                throw new CommandFailedException(new(ErrorCodes.Busy, $"device '{deviceId}' has {_options.MaxQueuedPerDevice} commands waiting"));
            command = queue.AddLocked(expected, mode);
            // One deadline covers waiting for earlier commands, sending and the confirmation.
            command.ArmDeadline(time, _options.ConfirmTimeout);
        }
        command.ArmCancellation(ct);
        return (command, queue, device, driver, changes);
    }

    /// <summary>Sends when the command's turn comes; every way it can go wrong ends the command.</summary>
    private async Task SendAsync(PendingCommand command, DeviceCommandQueue queue, Device device, IDeviceDriver driver, List<Change> changes, CancellationToken ct)
    {
        try
        {
            if (!await command.Turn.ConfigureAwait(false)) return;
            if (driver is ICorrelatedDriver correlated && queue.Correlated)
            {
                var reply = await correlated.SendConfirmedAsync(device, changes, command.Aborted).ConfigureAwait(false);
                registry.ApplyReport(device, reply is KeyValuePair<string, StateValue>[] a ? a : reply.ToArray());
                queue.Confirm(command, Overlay(device.StateSnapshot(), reply));
            }
            else await driver.SendAsync(device, changes, ct).ConfigureAwait(false);
        }
        catch (CommandFailedException e)
        {
            queue.Fail(command, e, fromSender: true);
        }
        catch (OperationCanceledException e)
        {
            // The deadline or the client's leaving already ended the command; anything else is the driver's.
            queue.Fail(command, ct.IsCancellationRequested ? new OperationCanceledException(ct) : e, fromSender: true);
        }
        catch (Exception e)
        {
            log.LogError(e, "Driver {Driver} failed sending to {DeviceId}", driver.Name, device.Id);
            queue.Fail(command, new CommandFailedException(new(ErrorCodes.Internal, $"sending to '{device.Id}' failed")), fromSender: true);
        }
    }

    /// <summary>The device's state with the values a correlated reply confirmed for this command on top,
    /// so a report that came in between from a later command cannot stand in for this one's answer.</summary>
    private static KeyValuePair<string, StateValue>[] Overlay(KeyValuePair<string, StateValue>[] state, IReadOnlyList<KeyValuePair<string, StateValue>> confirmed)
    {
        for (var i = 0; i < state.Length; i++)
            foreach (var (name, value) in confirmed)
                if (string.Equals(state[i].Key, name, StringComparison.Ordinal)) state[i] = new(name, value);
        return state;
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
