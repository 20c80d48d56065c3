namespace Bridge.Simulator.LoadGen;

/// <summary>
/// A fixed-size log-linear histogram of non-negative values (microseconds here), safe to record
/// into from several threads at once without locks or allocation.
/// Values below 1024 are kept exactly; larger values land in buckets at most 1/512 (0.2 %) wide
/// relative to their value. Percentiles use the nearest-rank method and report the highest value
/// of the chosen bucket, clamped to the exact minimum and maximum seen.
/// </summary>
public sealed class LatencyHistogram
{
    /// <summary>Values below 2^PrecisionBits are exact.</summary>
    private const int PrecisionBits = 10;
    private const int ExactCount = 1 << PrecisionBits;
    private const int HalfCount = ExactCount / 2;

    /// <summary>Number of buckets needed for every non-negative long.</summary>
    public const int BucketCount = ExactCount + (63 - PrecisionBits) * HalfCount;

    private readonly long[] _counts = new long[BucketCount];
    private long _total;
    private long _sum;
    private long _min = long.MaxValue;
    private long _max = long.MinValue;

    public long Count => Volatile.Read(ref _total);

    public long Min => Count == 0 ? 0 : Volatile.Read(ref _min);

    public long Max => Count == 0 ? 0 : Volatile.Read(ref _max);

    public double Mean => Count == 0 ? 0 : (double)Volatile.Read(ref _sum) / Count;

    /// <summary>Records one value; negative values are recorded as 0. Thread-safe.</summary>
    public void Record(long value)
    {
        if (value < 0)
        {
            value = 0;
        }

        Interlocked.Increment(ref _counts[BucketIndex(value)]);
        Interlocked.Add(ref _sum, value);
        UpdateMin(value);
        UpdateMax(value);
        Interlocked.Increment(ref _total);
    }

    /// <summary>Adds every value recorded in <paramref name="other"/> to this histogram.</summary>
    public void Add(LatencyHistogram other)
    {
        ArgumentNullException.ThrowIfNull(other);
        long otherCount = other.Count;
        if (otherCount == 0)
        {
            return;
        }

        for (int i = 0; i < BucketCount; i++)
        {
            long c = Volatile.Read(ref other._counts[i]);
            if (c != 0)
            {
                Interlocked.Add(ref _counts[i], c);
            }
        }

        Interlocked.Add(ref _sum, Volatile.Read(ref other._sum));
        UpdateMin(other.Min);
        UpdateMax(other.Max);
        Interlocked.Add(ref _total, otherCount);
    }

    /// <summary>
    /// The value at percentile <paramref name="percentile"/> (0..100) by nearest rank; 0 when empty.
    /// </summary>
    public long Percentile(double percentile)
    {
        if (double.IsNaN(percentile) || percentile < 0 || percentile > 100)
        {
            throw new ArgumentOutOfRangeException(nameof(percentile), percentile, "percentile must be within 0..100");
        }

        long total = Count;
        if (total == 0)
        {
            return 0;
        }

        long rank = (long)Math.Ceiling(percentile / 100.0 * total);
        if (rank < 1)
        {
            rank = 1;
        }

        if (rank > total)
        {
            rank = total;
        }

        long cumulative = 0;
        for (int i = 0; i < BucketCount; i++)
        {
            cumulative += Volatile.Read(ref _counts[i]);
            if (cumulative >= rank)
            {
                return Math.Clamp(HighestInBucket(i), Min, Max);
            }
        }

        return Max;
    }

    /// <summary>The bucket that holds <paramref name="value"/> (non-negative).</summary>
    public static int BucketIndex(long value)
    {
        if (value < ExactCount)
        {
            return (int)value;
        }

        int log2 = 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)value);
        int shift = log2 - (PrecisionBits - 1);
        long top = value >> shift; // within [HalfCount, ExactCount)
        return ExactCount + (shift - 1) * HalfCount + (int)(top - HalfCount);
    }

    /// <summary>The smallest value that falls into bucket <paramref name="index"/>.</summary>
    public static long LowestInBucket(int index)
    {
        if (index < ExactCount)
        {
            return index;
        }

        int shift = (index - ExactCount) / HalfCount + 1;
        long top = (index - ExactCount) % HalfCount + HalfCount;
        return top << shift;
    }

    /// <summary>The largest value that falls into bucket <paramref name="index"/>.</summary>
    public static long HighestInBucket(int index)
    {
        if (index < ExactCount)
        {
            return index;
        }

        int shift = (index - ExactCount) / HalfCount + 1;
        long lowest = LowestInBucket(index);
        long width = 1L << shift;
        return lowest > long.MaxValue - (width - 1) ? long.MaxValue : lowest + width - 1;
    }

    private void UpdateMin(long value)
    {
        long current = Volatile.Read(ref _min);
        while (value < current)
        {
            long seen = Interlocked.CompareExchange(ref _min, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }

    private void UpdateMax(long value)
    {
        long current = Volatile.Read(ref _max);
        while (value > current)
        {
            long seen = Interlocked.CompareExchange(ref _max, value, current);
            if (seen == current)
            {
                return;
            }

            current = seen;
        }
    }
}
