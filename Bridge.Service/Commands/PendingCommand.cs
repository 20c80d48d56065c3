using Bridge.Protocols.Model;

namespace Bridge.Service.Commands;

/// <summary>One <c>set</c> in its device's pending list: the values it waits for, which of them the
/// device has confirmed, its one deadline, and how it ends. Its list changes it under the device's
/// lock; it is answered outside that lock, by <see cref="DeviceCommandQueue"/>, in sending order.</summary>
public sealed class PendingCommand
{
    private readonly KeyValuePair<string, StateValue>[] _expected;
    private int _confirmedMask;
    // Continuations run inline (the reply is queued on the thread that released it), which is why
    // answers are given outside the device's lock and by one releasing thread at a time.
    private readonly TaskCompletionSource<KeyValuePair<string, StateValue>[]> _done = new();
    // A serial command's turn: true when it may be sent, false when it ended before its turn came.
    private TaskCompletionSource<bool>? _turn;
    private CancellationTokenSource? _abort;
    private ITimer? _deadline;
    private CancellationTokenRegistration _cancellation;
    private int _finished;
    private readonly DeviceCommandQueue _queue;

    internal PendingCommand(DeviceCommandQueue queue, KeyValuePair<string, StateValue>[] expected, bool sent, bool abortable)
    {
        _queue = queue;
        if (expected.Length > 30) throw new ArgumentOutOfRangeException(nameof(expected), "too many capabilities in one command");
        _expected = expected;
        Sent = sent;
        if (!sent) _turn = new(TaskCreationOptions.RunContinuationsAsynchronously);
        if (abortable) _abort = new CancellationTokenSource();
    }

    public Task<KeyValuePair<string, StateValue>[]> Completion => _done.Task;

    /// <summary>Completes true once the command may go out (at once unless its device is serial).</summary>
    internal Task<bool> Turn => _turn?.Task ?? TrueTask;

    /// <summary>Ends when the command's deadline passes or its client leaves; for drivers that wait for
    /// a correlated reply.</summary>
    internal CancellationToken Aborted => _abort?.Token ?? CancellationToken.None;

    // List state, under the device's lock.
    internal LinkedListNode<PendingCommand>? Node;
    internal bool Sent;
    internal KeyValuePair<string, StateValue>[]? Confirmed;
    internal Exception? Failure;

    /// <summary>Under the device's lock: true when the report carries a value this command still waits
    /// for; <paramref name="complete"/> then says whether every value is now confirmed.</summary>
    internal bool Advance(ReadOnlySpan<KeyValuePair<string, StateValue>> report, out bool complete)
    {
        var before = _confirmedMask;
        foreach (var (name, value) in report)
        {
            for (var i = 0; i < _expected.Length; i++)
            {
                if ((_confirmedMask & (1 << i)) == 0 && string.Equals(_expected[i].Key, name, StringComparison.Ordinal) && _expected[i].Value == value)
                    _confirmedMask |= 1 << i;
            }
        }
        complete = _confirmedMask == (1 << _expected.Length) - 1;
        return _confirmedMask != before;
    }

    /// <summary>Under the device's lock, as the command joins: its one deadline.</summary>
    internal void ArmDeadline(TimeProvider time, TimeSpan timeout) =>
        _deadline = time.CreateTimer(static s => ((PendingCommand)s!)._queue.Expire((PendingCommand)s!), this, timeout, Timeout.InfiniteTimeSpan);

    /// <summary>Outside the lock: the client leaving ends the command.</summary>
    internal void ArmCancellation(CancellationToken ct)
    {
        if (!ct.CanBeCanceled) return;
        _cancellation = ct.UnsafeRegister(static (s, token) => ((PendingCommand)s!)._queue.Fail((PendingCommand)s!, new OperationCanceledException(token)), this);
        if (Volatile.Read(ref _finished) != 0) _cancellation.Unregister();
    }

    /// <summary>Outside the device's lock, once: answers the command and lets go of its timer.</summary>
    internal void Finish()
    {
        if (Interlocked.Exchange(ref _finished, 1) != 0) return;
        _deadline?.Dispose();
        _cancellation.Unregister();
        _turn?.TrySetResult(false);
        if (Failure is null) _done.TrySetResult(Confirmed!);
        else
        {
            // Not disposed: a driver may still hold the token; without a timer there is nothing to free.
            _abort?.Cancel();
            if (Failure is OperationCanceledException oce) _done.TrySetCanceled(oce.CancellationToken);
            else _done.TrySetException(Failure);
        }
    }

    /// <summary>Outside the device's lock: a serial command's turn has come.</summary>
    internal void GiveTurn() => _turn?.TrySetResult(true);

    private static readonly Task<bool> TrueTask = Task.FromResult(true);
}
