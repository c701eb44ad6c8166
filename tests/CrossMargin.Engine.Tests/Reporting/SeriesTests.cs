using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Tests.Reporting;

public sealed class SeriesTests
{
    private static readonly DateTimeOffset T0 = SampleReports.Start;

    private static TimePoint[] Wave(int count) =>
        Enumerable.Range(0, count).Select(i => new TimePoint(T0.AddMilliseconds(i * 100), ((i * 7919) % 1000) + (i / 1000m))).ToArray();

    [Fact]
    public void Downsample_should_leave_a_short_series_unchanged()
    {
        var points = Wave(100);

        Assert.Equal(points, SeriesDownsampler.Downsample(points, 2000));
    }

    [Theory]
    [InlineData(2001, 2000)]
    [InlineData(100_000, 2000)]
    [InlineData(100_000, 4)]
    [InlineData(7, 5)]
    public void Downsample_should_respect_the_bound_and_keep_first_last_min_and_max(int count, int max)
    {
        var points = Wave(count);
        points[count / 3] = points[count / 3] with { Value = -5m };
        points[count / 2] = points[count / 2] with { Value = 5000m };

        var result = SeriesDownsampler.Downsample(points, max);

        Assert.InRange(result.Count, 1, max);
        Assert.Equal(points[0], result[0]);
        Assert.Equal(points[^1], result[^1]);
        if (max >= 6)
        {
            Assert.Contains(points[count / 3], result);
            Assert.Contains(points[count / 2], result);
        }

        Assert.True(result.Zip(result.Skip(1)).All(p => p.First.Time <= p.Second.Time), "points stay in time order");
    }

    [Fact]
    public void Downsample_should_be_deterministic()
    {
        var points = Wave(50_000);

        Assert.Equal(SeriesDownsampler.Downsample(points), SeriesDownsampler.Downsample(points.ToList()));
    }

    [Fact]
    public void Recorder_should_bound_memory_and_keep_the_extremes()
    {
        var recorder = new SeriesRecorder(capacity: 1000);
        var points = Wave(100_000);
        points[77_777] = points[77_777] with { Value = -1m };
        foreach (var p in points) recorder.Add(p.Time, p.Value);

        var built = recorder.Build(500);

        Assert.True(recorder.Count < 1000);
        Assert.InRange(built.Count, 1, 500);
        Assert.Contains(points[77_777], built);
        Assert.Equal(points[0], built[0]);
        Assert.Equal(points[^1], built[^1]);
    }

    [Fact]
    public void Recorder_should_refuse_a_point_earlier_than_the_previous_one()
    {
        var recorder = new SeriesRecorder();
        recorder.Add(T0.AddSeconds(1), 1m);

        Assert.Throws<ArgumentException>(() => recorder.Add(T0, 2m));
    }

    [Fact]
    public void Rate_recorder_should_count_per_simulated_second()
    {
        var rates = new RateRecorder();
        rates.Record(T0.AddMilliseconds(100));
        rates.Record(T0.AddMilliseconds(900), 2);
        rates.Record(T0.AddSeconds(5));

        var series = rates.Build();

        Assert.Equal([new TimePoint(T0, 3m), new TimePoint(T0.AddSeconds(5), 1m)], series);
        Assert.Equal(4, rates.Total);
    }

    [Fact]
    public void Rate_recorder_should_merge_seconds_into_wider_buckets_and_keep_the_rate_per_second()
    {
        var rates = new RateRecorder();
        for (var s = 0; s < 10; s++) rates.Record(T0.AddSeconds(s), 4);

        var series = rates.Build(maxPoints: 5);

        Assert.Equal(5, series.Count);
        Assert.All(series, p => Assert.Equal(4m, p.Value));
        Assert.Equal(T0.AddSeconds(2), series[1].Time);
    }

    [Fact]
    public void Histogram_should_put_each_account_in_its_margin_ratio_bucket_and_no_equity_last()
    {
        var buckets = MarginRatioHistogram.Build([(10m, 100m), (20m, 100m), (99m, 100m), (100m, 100m), (1m, 0m), (1m, -5m)]);

        Assert.Equal([1L, 1, 0, 1, 1, 2], buckets.Select(b => b.Count));
        Assert.Equal("0%–20%", buckets[0].Label);
        Assert.Equal("≥150%", buckets[^1].Label);
        Assert.Null(buckets[^1].Upper);
    }

    [Fact]
    public void Histogram_should_refuse_bounds_that_do_not_increase()
    {
        Assert.Throws<ArgumentException>(() => MarginRatioHistogram.Build([], [0.5m, 0.5m]));
    }
}
