using Bridge.Protocols.Model;
using Bridge.Service.Devices;
using Bridge.Service.Drivers;

namespace Bridge.Service.Commands;

/// <summary>One device's pending list: the commands sent to it (or, when its driver is serial, waiting
/// to be sent) in the order they came. Reports confirm them as the concurrency trait says; each is
/// answered with the state confirmed for it and in the order sent, fails with <c>timeout</c> at its
/// own deadline, and all fail with <c>device_offline</c> when the device goes away.</summary>
internal sealed class DeviceCommandQueue(Device device, TimeSpan timeout, ILogger log) : IPendingCommands
{
    private readonly LinkedList<PendingCommand> _list = new();
    private CommandConcurrency _mode;
    // Commands that ended (confirmed at the head, failed anywhere) or whose turn came, to be answered
    // after the lock is left by one releasing thread at a time, so answers keep their order.
    private List<(PendingCommand Command, bool Turn)>? _ready;
    private bool _releasing;

    /// <summary>Whether the list's commands are confirmed by their own replies (read without the lock:
    /// set before any command of the list is sent).</summary>
    public bool Correlated => _mode == CommandConcurrency.Correlated;

    /// <summary>Commands in the list; under the device's lock.</summary>
    public int CountLocked => _list.Count;

    /// <summary>Under the device's lock: adds a command at the end. The trait is taken from the first
    /// command of a quiet device, so a profile change never mixes two traits in one list.</summary>
    public PendingCommand AddLocked(KeyValuePair<string, StateValue>[] expected, CommandConcurrency mode)
    {
        if (_list.Count == 0) _mode = mode;
        var command = new PendingCommand(this, expected, sent: _mode != CommandConcurrency.Serial || _list.Count == 0,
            abortable: _mode == CommandConcurrency.Correlated);
        command.Node = _list.AddLast(command);
        return command;
    }

    public void ObserveLocked(ReadOnlySpan<KeyValuePair<string, StateValue>> report)
    {
        // A correlated device's commands are confirmed by their own replies only.
        if (_mode == CommandConcurrency.Correlated) return;
        // One report answers one command: the oldest sent one it brings a value for. A report that
        // brings nothing awaited is a state change and no more.
        for (var node = _list.First; node is not null; node = node.Next)
        {
            var c = node.Value;
            if (!c.Sent || c.Confirmed is not null) continue;
            if (!c.Advance(report, out var complete)) continue;
            if (complete)
            {
                c.Confirmed = device.SnapshotLocked();
                DrainLocked();
            }
            return;
        }
    }

    /// <summary>From the command's own sending path: a correlated driver's reply confirmed the command
    /// with this state. The answers are given from the thread pool, never on this stack: here the
    /// command's caller has not yet waited for its answer, so answering later commands inline would
    /// put their replies ahead of this one's.</summary>
    public void Confirm(PendingCommand command, KeyValuePair<string, StateValue>[] state)
    {
        lock (device.Sync)
        {
            if (command.Node?.List is null) return;
            command.Confirmed = state;
            DrainLocked();
        }
        ReleaseSoon();
    }

    /// <summary>On a timer thread: the command's deadline passed.</summary>
    public void Expire(PendingCommand command)
    {
        log.LogWarning("Device {DeviceId} did not confirm within {Timeout}", device.Id, timeout);
        Fail(command, new CommandFailedException(CommandFailure.TimedOut(device.Id, timeout)));
    }

    /// <summary>Outside the lock: the command failed (deadline, client gone, send refused); no-op when it
    /// already ended. <paramref name="fromSender"/>: called on the command's own sending path (see
    /// <see cref="Confirm"/>).</summary>
    public void Fail(PendingCommand command, Exception failure, bool fromSender = false)
    {
        lock (device.Sync)
        {
            if (command.Node?.List is null) return;
            RemoveLocked(command, failure);
            DrainLocked();
        }
        if (fromSender) ReleaseSoon();
        else Release();
    }

    private void ReleaseSoon() => ThreadPool.UnsafeQueueUserWorkItem(static q => q.Release(), this, preferLocal: false);

    public void DeviceGoneLocked()
    {
        while (_list.First is { } node)
            RemoveLocked(node.Value, new CommandFailedException(CommandFailure.Offline(device.Id, device.OfflineReason)));
    }

    public void Release()
    {
        lock (device.Sync)
        {
            if (_releasing || _ready is null) return;
            _releasing = true;
        }
        while (true)
        {
            List<(PendingCommand Command, bool Turn)>? ready;
            lock (device.Sync)
            {
                ready = _ready;
                _ready = null;
                if (ready is null)
                {
                    _releasing = false;
                    return;
                }
            }
            try
            {
                foreach (var (c, turn) in ready)
                {
                    if (turn) c.GiveTurn();
                    else c.Finish();
                }
            }
            catch
            {
                lock (device.Sync) _releasing = false;
                throw;
            }
        }
    }

    private void RemoveLocked(PendingCommand command, Exception failure)
    {
        command.Failure = failure;
        _list.Remove(command.Node!);
        (_ready ??= new(4)).Add((command, false));
    }

    /// <summary>Confirmed commands leave from the head only, so a later one's answer waits for the
    /// earlier ones; a serial device's next command then gets its turn.</summary>
    private void DrainLocked()
    {
        while (_list.First is { Value.Confirmed: not null } head)
        {
            _list.Remove(head);
            (_ready ??= new(4)).Add((head.Value, false));
        }
        if (_mode == CommandConcurrency.Serial && _list.First is { Value.Sent: false } next)
        {
            next.Value.Sent = true;
            (_ready ??= new(4)).Add((next.Value, true));
        }
    }
}
