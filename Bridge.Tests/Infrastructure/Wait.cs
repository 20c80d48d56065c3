using System.Diagnostics;

namespace Bridge.Tests.Infrastructure;

/// <summary>Waiting for something to happen in tests, always bounded by a timeout.</summary>
public static class Wait
{
    /// <summary>How long <see cref="UntilAsync"/> pauses between checks.</summary>
    public static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(10);

    /// <summary>
    /// Checks <paramref name="condition"/> repeatedly (every few milliseconds) until it is true;
    /// throws a <see cref="TimeoutException"/> naming <paramref name="what"/> when
    /// <paramref name="timeout"/> passes first.
    /// </summary>
    public static async Task UntilAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        long start = Stopwatch.GetTimestamp();
        while (!condition())
        {
            if (Stopwatch.GetElapsedTime(start) >= timeout)
            {
                // One last look, so a condition that became true just now is not reported as a timeout.
                if (condition())
                {
                    return;
                }

                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what}");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Checks an asynchronous <paramref name="condition"/> repeatedly until it is true, bounded by <paramref name="timeout"/>.
    /// </summary>
    public static async Task UntilAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(condition);
        long start = Stopwatch.GetTimestamp();
        while (!await condition().ConfigureAwait(false))
        {
            if (Stopwatch.GetElapsedTime(start) >= timeout)
            {
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what}");
            }

            await Task.Delay(PollInterval).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for <paramref name="task"/> and returns its result; throws a <see cref="TimeoutException"/>
    /// naming <paramref name="what"/> if it has not finished within <paramref name="timeout"/>.
    /// </summary>
    public static async Task<T> ForAsync<T>(Task<T> task, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            return await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what}");
        }
    }

    /// <summary>Waits for <paramref name="task"/>, bounded by <paramref name="timeout"/>.</summary>
    public static async Task ForAsync(Task task, TimeSpan timeout, string what)
    {
        ArgumentNullException.ThrowIfNull(task);
        try
        {
            await task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            throw new TimeoutException($"Timed out after {timeout.TotalSeconds:0.###} s waiting for {what}");
        }
    }
}
