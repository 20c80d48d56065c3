using System.Text;
using Bridge.Runtime.Metrics;

namespace Bridge.Tests.Runtime.Metrics;

public sealed class PrometheusHistogramTests
{
    [Fact]
    public void Buckets_are_cumulative_with_inclusive_upper_bounds_and_the_sum_is_in_seconds()
    {
        var histogram = new PrometheusHistogram();
        histogram.ObserveMicroseconds(50);       // le 0.00005 (bounds are inclusive)
        histogram.ObserveMicroseconds(51);       // le 0.0001
        histogram.Observe(TimeSpan.FromMilliseconds(3)); // le 0.005
        histogram.Observe(TimeSpan.FromMinutes(1));      // only +Inf
        var s = new StringBuilder();
        histogram.Render(s, "x_seconds", "outcome=\"ok\"");
        var text = s.ToString();
        Assert.Contains("x_seconds_bucket{outcome=\"ok\",le=\"0.00005\"} 1\n", text);
        Assert.Contains("x_seconds_bucket{outcome=\"ok\",le=\"0.0001\"} 2\n", text);
        Assert.Contains("x_seconds_bucket{outcome=\"ok\",le=\"0.0025\"} 2\n", text);
        Assert.Contains("x_seconds_bucket{outcome=\"ok\",le=\"0.005\"} 3\n", text);
        Assert.Contains("x_seconds_bucket{outcome=\"ok\",le=\"10\"} 3\n", text);
        Assert.Contains("x_seconds_bucket{outcome=\"ok\",le=\"+Inf\"} 4\n", text);
        Assert.Contains("x_seconds_sum{outcome=\"ok\"} 60.003101\n", text);
        Assert.Contains("x_seconds_count{outcome=\"ok\"} 4\n", text);
    }

    [Fact]
    public void Concurrent_observations_are_all_counted()
    {
        var histogram = new PrometheusHistogram();
        Parallel.For(0, 8, _ =>
        {
            for (var i = 0; i < 10_000; i++) histogram.ObserveMicroseconds(i % 700);
        });
        Assert.Equal(80_000, histogram.Count);
        var s = new StringBuilder();
        histogram.Render(s, "y", "");
        Assert.Contains("y_bucket{le=\"+Inf\"} 80000\n", s.ToString());
        Assert.Contains("y_count 80000\n", s.ToString());
    }
}
