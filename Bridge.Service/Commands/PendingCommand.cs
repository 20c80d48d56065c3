using Bridge.Protocols.Model;
using Bridge.Service.Devices;

namespace Bridge.Service.Commands;

/// <summary>A command waiting for the device's own report. It completes once every requested
/// capability has been reported with the expected value since the command was sent.</summary>
public sealed class PendingCommand
{
    private readonly KeyValuePair<string, StateValue>[] _expected;
    private int _confirmedMask;
    private KeyValuePair<string, StateValue>[]? _confirmedState;
    // Continuations run inline (the reply is queued on the thread that read the report), which
    // is why completion happens outside the device's lock: see DeviceRegistry.
    private readonly TaskCompletionSource<KeyValuePair<string, StateValue>[]> _done = new();

    public PendingCommand(KeyValuePair<string, StateValue>[] expected)
    {
        if (expected.Length > 30) throw new ArgumentOutOfRangeException(nameof(expected), "too many capabilities in one command");
        _expected = expected;
    }

    public Task<KeyValuePair<string, StateValue>[]> Completion => _done.Task;

    /// <summary>Called under the device's lock with each report; true once everything is confirmed,
    /// and then the caller calls <see cref="Complete"/> after leaving the lock.</summary>
    internal bool Observe(ReadOnlySpan<KeyValuePair<string, StateValue>> report, Device device)
    {
        if (_confirmedState is not null) return false;
        foreach (var (name, value) in report)
        {
            for (var i = 0; i < _expected.Length; i++)
            {
                if (string.Equals(_expected[i].Key, name, StringComparison.Ordinal) && _expected[i].Value == value)
                    _confirmedMask |= 1 << i;
            }
        }
        if (_confirmedMask != (1 << _expected.Length) - 1) return false;
        _confirmedState = device.SnapshotLocked();
        return true;
    }

    internal void Complete() => _done.TrySetResult(_confirmedState!);

    internal void Fail(CommandFailure failure) => _done.TrySetException(new CommandFailedException(failure));
}
