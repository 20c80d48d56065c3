using Bridge.Simulator.LoadGen;

namespace Bridge.Tests.Simulator.LoadGen;

public sealed class LatencyHistogramTests
{
    [Fact]
    public void EmptyHistogramReportsZeros()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Count);
        Assert.Equal(0, h.Percentile(50));
        Assert.Equal(0, h.Percentile(99));
        Assert.Equal(0, h.Max);
        Assert.Equal(0, h.Min);
        Assert.Equal(0, h.Mean);
    }

    [Fact]
    public void SmallValuesGiveExactNearestRankPercentiles()
    {
        var h = new LatencyHistogram();
        // Recorded out of order on purpose.
        for (int v = 100; v >= 1; v--)
        {
            h.Record(v);
        }

        Assert.Equal(100, h.Count);
        Assert.Equal(1, h.Percentile(0));
        Assert.Equal(50, h.Percentile(50));
        Assert.Equal(90, h.Percentile(90));
        Assert.Equal(99, h.Percentile(99));
        Assert.Equal(100, h.Percentile(100));
        Assert.Equal(1, h.Min);
        Assert.Equal(100, h.Max);
        Assert.Equal(50.5, h.Mean, 6);
    }

    [Fact]
    public void SingleValueIsEveryPercentile()
    {
        var h = new LatencyHistogram();
        h.Record(123_456);
        Assert.Equal(123_456, h.Percentile(0));
        Assert.Equal(123_456, h.Percentile(50));
        Assert.Equal(123_456, h.Percentile(99.9));
        Assert.Equal(123_456, h.Max);
    }

    [Fact]
    public void NearestRankRoundsUp()
    {
        var h = new LatencyHistogram();
        foreach (int v in new[] { 10, 20, 30, 40 })
        {
            h.Record(v);
        }

        Assert.Equal(20, h.Percentile(50));  // rank ceil(0.5 * 4) = 2
        Assert.Equal(30, h.Percentile(51));  // rank ceil(2.04) = 3
        Assert.Equal(40, h.Percentile(90));  // rank ceil(3.6) = 4
    }

    [Fact]
    public void TailIsFoundBehindManyFastValues()
    {
        var h = new LatencyHistogram();
        for (int i = 0; i < 990; i++)
        {
            h.Record(200);
        }

        for (int i = 0; i < 10; i++)
        {
            h.Record(50_000);
        }

        Assert.Equal(200, h.Percentile(50));
        Assert.Equal(200, h.Percentile(99));
        Assert.Equal(50_000, h.Percentile(99.1));
        Assert.Equal(50_000, h.Max);
    }

    [Theory]
    [InlineData(1_023)]
    [InlineData(1_024)]
    [InlineData(1_025)]
    [InlineData(4_097)]
    [InlineData(77_777)]
    [InlineData(1_234_567)]
    [InlineData(987_654_321)]
    [InlineData(long.MaxValue / 3)]
    [InlineData(long.MaxValue)]
    public void LargeValuesStayWithinTwoPerMille(long value)
    {
        int bucket = LatencyHistogram.BucketIndex(value);
        Assert.InRange(bucket, 0, LatencyHistogram.BucketCount - 1);
        long low = LatencyHistogram.LowestInBucket(bucket);
        long high = LatencyHistogram.HighestInBucket(bucket);
        Assert.InRange(value, low, high);
        Assert.True((double)(high - low) / value <= 1.0 / 512, $"bucket [{low}, {high}] too wide for {value}");

        // Two values in the same bucket: the percentile is within the bucket and never above the max seen.
        var h = new LatencyHistogram();
        h.Record(value);
        h.Record(low);
        Assert.Equal(value, h.Max);
        Assert.InRange(h.Percentile(50), low, value);
    }

    [Fact]
    public void BucketsAreContiguousAndOrdered()
    {
        for (int i = 1; i < LatencyHistogram.BucketCount; i++)
        {
            Assert.Equal(LatencyHistogram.HighestInBucket(i - 1) + 1, LatencyHistogram.LowestInBucket(i));
            Assert.Equal(i, LatencyHistogram.BucketIndex(LatencyHistogram.LowestInBucket(i)));
            Assert.Equal(i, LatencyHistogram.BucketIndex(LatencyHistogram.HighestInBucket(i)));
        }

        Assert.Equal(long.MaxValue, LatencyHistogram.HighestInBucket(LatencyHistogram.BucketCount - 1));
    }

    [Fact]
    public void NegativeValuesCountAsZero()
    {
        var h = new LatencyHistogram();
        h.Record(-5);
        Assert.Equal(1, h.Count);
        Assert.Equal(0, h.Max);
        Assert.Equal(0, h.Percentile(50));
    }

    [Fact]
    public void AddMergesCountsAndExtremes()
    {
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        for (int v = 1; v <= 50; v++)
        {
            a.Record(v);
        }

        for (int v = 51; v <= 100; v++)
        {
            b.Record(v);
        }

        a.Add(b);
        Assert.Equal(100, a.Count);
        Assert.Equal(1, a.Min);
        Assert.Equal(100, a.Max);
        Assert.Equal(90, a.Percentile(90));
        Assert.Equal(50.5, a.Mean, 6);
    }

    [Fact]
    public void ConcurrentRecordingLosesNothing()
    {
        var h = new LatencyHistogram();
        Parallel.For(0, 8, worker =>
        {
            for (int i = 1; i <= 10_000; i++)
            {
                h.Record(i % 1000);
            }
        });

        Assert.Equal(80_000, h.Count);
        Assert.Equal(0, h.Min);
        Assert.Equal(999, h.Max);
        Assert.Equal(499, h.Percentile(50));
    }

    [Fact]
    public void PercentileOutsideRangeIsRejected()
    {
        var h = new LatencyHistogram();
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(100.5));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(double.NaN));
    }
}
