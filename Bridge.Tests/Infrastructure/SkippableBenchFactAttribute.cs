namespace Bridge.Tests.Infrastructure;

/// <summary>A benchmark that runs only when asked (BRIDGE_BENCH=1); reported as skipped otherwise.</summary>
public sealed class SkippableBenchFactAttribute : FactAttribute
{
    public SkippableBenchFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("BRIDGE_BENCH") != "1") Skip = "a benchmark of over a minute: run with BRIDGE_BENCH=1 (docs/benchmarks.md)";
    }
}
