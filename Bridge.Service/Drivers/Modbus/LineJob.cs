namespace Bridge.Service.Drivers.Modbus;

/// <summary>One unit of work for a line's owner: a command (write and read back) or a poll.
/// It runs with the line to itself, so its frames never interleave with anyone else's.</summary>
public sealed class LineJob(Func<ModbusMaster, CancellationToken, Task> work, CancellationToken requester)
{
    private readonly TaskCompletionSource _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task Completion => _done.Task;

    public async Task RunAsync(ModbusMaster master, CancellationToken stopping)
    {
        if (requester.IsCancellationRequested)
        {
            _done.TrySetCanceled(requester);
            return;
        }
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(requester, stopping);
        try
        {
            await work(master, linked.Token).ConfigureAwait(false);
            _done.TrySetResult();
        }
        catch (Exception e)
        {
            _done.TrySetException(e);
            // A lost line ends the owner's session with this port; everything else was this job's own trouble.
            if (e is SerialLineLostException || stopping.IsCancellationRequested) throw;
        }
    }

    public void Fail(Exception e) => _done.TrySetException(e);
}
