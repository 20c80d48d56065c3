using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Bridge.Runtime.Metrics;

/// <summary>A latency histogram in Prometheus' text format (<c>_bucket{le=...}</c>, <c>_sum</c>,
/// <c>_count</c>, in seconds). Fixed buckets from 50 µs to 10 s; recording is a few interlocked adds
/// on preallocated counters, no lock and no allocation, so hot paths can afford one per frame.</summary>
public sealed class PrometheusHistogram
{
    /// <summary>Upper bounds in microseconds; the last bucket (+Inf) is implicit.</summary>
    private static readonly long[] BoundsUs =
        [50, 100, 250, 500, 1_000, 2_500, 5_000, 10_000, 25_000, 50_000, 100_000, 250_000, 500_000, 1_000_000, 2_500_000, 5_000_000, 10_000_000];

    private readonly long[] _counts = new long[BoundsUs.Length + 1];
    private long _sumUs;
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    /// <summary>Records the time since <paramref name="startTimestamp"/> (a <see cref="Stopwatch"/> or
    /// <see cref="TimeProvider"/> timestamp at <see cref="Stopwatch.Frequency"/>).</summary>
    public void ObserveSince(long startTimestamp) => ObserveSince(startTimestamp, Stopwatch.GetTimestamp());

    public void ObserveSince(long startTimestamp, long nowTimestamp) =>
        ObserveMicroseconds((nowTimestamp - startTimestamp) * 1_000_000 / Stopwatch.Frequency);

    public void Observe(TimeSpan elapsed) => ObserveMicroseconds(elapsed.Ticks / TimeSpan.TicksPerMicrosecond);

    public void ObserveMicroseconds(long us)
    {
        if (us < 0) us = 0;
        var i = 0;
        while (i < BoundsUs.Length && us > BoundsUs[i]) i++;
        Interlocked.Increment(ref _counts[i]);
        Interlocked.Add(ref _sumUs, us);
        Interlocked.Increment(ref _count);
    }

    /// <summary>Appends the series <paramref name="name"/> with <paramref name="labels"/>
    /// (e.g. <c>direction="to_bridge"</c>, or empty); HELP/TYPE lines are the caller's, once per name.</summary>
    public void Render(StringBuilder s, string name, string labels)
    {
        var separator = labels.Length == 0 ? "" : ",";
        long cumulative = 0;
        for (var i = 0; i <= BoundsUs.Length; i++)
        {
            cumulative += Interlocked.Read(ref _counts[i]);
            var le = i < BoundsUs.Length ? (BoundsUs[i] / 1e6).ToString("0.######", CultureInfo.InvariantCulture) : "+Inf";
            s.Append(name).Append("_bucket{").Append(labels).Append(separator).Append("le=\"").Append(le).Append("\"} ").Append(cumulative).Append('\n');
        }
        var braces = labels.Length == 0 ? "" : "{" + labels + "}";
        s.Append(name).Append("_sum").Append(braces).Append(' ')
         .Append((Interlocked.Read(ref _sumUs) / 1e6).ToString("0.######", CultureInfo.InvariantCulture)).Append('\n');
        s.Append(name).Append("_count").Append(braces).Append(' ').Append(Count).Append('\n');
    }

    public static void Header(StringBuilder s, string name, string help) =>
        s.Append("# HELP ").Append(name).Append(' ').Append(help).Append("\n# TYPE ").Append(name).Append(" histogram\n");
}
