using System.Diagnostics;

namespace Bridge.Tests.Infrastructure;

/// <summary>What one idle window cost, as percentages of one core: the bridge's process, and this test process
/// (the simulated devices and the test itself) beside it.</summary>
public readonly record struct IdleCpuFigure(double BridgePercent, double DevicesPercent, TimeSpan Wall, TimeSpan BridgeCpu, int Events)
{
    public override string ToString() =>
        $"bridge process {BridgePercent:0.00} % of one core ({BridgeCpu.TotalMilliseconds:0} ms CPU over {Wall.TotalSeconds:0} s); the simulated devices and the test in their own process {DevicesPercent:0.00} %; {Events} events in the window";
}

/// <summary>Measures CPU over a window that is opened and closed by the periodic events the idle bridge must
/// cause anyway (polls, heartbeats), so the window holds whole rounds of them and the test does nothing in
/// between (no polling, no timers of its own: a check every 10 ms would be 100 wake-ups a second).</summary>
public static class IdleCpu
{
    /// <summary>Waits for <paramref name="settle"/> events (start-up's JIT and first timers behind it), then measures
    /// until <paramref name="window"/> more have happened. <paramref name="bridgeCpu"/> reads the bridge process's CPU time.</summary>
    public static async Task<IdleCpuFigure> MeasureAsync(EventCounter events, int settle, int window, TimeSpan timeout, string what, Func<TimeSpan> bridgeCpu)
    {
        await events.UntilAsync(settle, timeout, what + " (settling)").ConfigureAwait(false);
        using var self = Process.GetCurrentProcess();
        var bridge0 = bridgeCpu();
        var self0 = self.TotalProcessorTime;
        var start = events.Count;
        var wall = Stopwatch.StartNew();
        await events.UntilAsync(start + window, timeout, what).ConfigureAwait(false);
        var elapsed = wall.Elapsed;
        var bridge = bridgeCpu() - bridge0;
        self.Refresh();
        var devices = self.TotalProcessorTime - self0;
        return new IdleCpuFigure(bridge.TotalMilliseconds * 100 / elapsed.TotalMilliseconds, devices.TotalMilliseconds * 100 / elapsed.TotalMilliseconds,
            elapsed, bridge, events.Count - start);
    }
}
