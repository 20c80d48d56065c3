using System.Diagnostics;

namespace Bridge.Tests.Infrastructure;

/// <summary>What one idle window cost: this process's CPU time over the wall-clock time, as a percentage of one core.</summary>
public readonly record struct IdleCpuFigure(double Percent, TimeSpan Wall, TimeSpan Cpu, int Events);

/// <summary>Measures this process's CPU over a window that is opened and closed by the periodic events the
/// idle bridge must do anyway (polls, heartbeats), so the window holds whole rounds of them and the test
/// itself does nothing in between (no polling, no timers of its own).</summary>
public static class IdleCpu
{
    /// <summary>Waits for <paramref name="settle"/> events (start-up's JIT and first timers behind it), then
    /// measures until <paramref name="window"/> more have happened.</summary>
    public static async Task<IdleCpuFigure> MeasureAsync(EventCounter events, int settle, int window, TimeSpan timeout, string what)
    {
        await events.UntilAsync(settle, timeout, what + " (settling)").ConfigureAwait(false);
        using var self = Process.GetCurrentProcess();
        var cpu0 = self.TotalProcessorTime;
        var start = events.Count;
        var wall = Stopwatch.StartNew();
        await events.UntilAsync(start + window, timeout, what).ConfigureAwait(false);
        var elapsed = wall.Elapsed;
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpu0;
        return new IdleCpuFigure(cpu.TotalMilliseconds * 100 / elapsed.TotalMilliseconds, elapsed, cpu, events.Count - start);
    }
}
