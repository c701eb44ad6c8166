using CrossMargin.Engine.LoadTest;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

public sealed class LatencyHistogramTests
{
    private static readonly double[] Percentiles = [1, 10, 50, 90, 99, 99.9, 99.99, 100];

    private static long Exact(long[] sorted, double p)
    {
        var rank = (long)Math.Ceiling(p / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank, 1, sorted.Length) - 1];
    }

    private static long[] Sample(Random rng, int shape, int n) => shape switch
    {
        0 => Enumerable.Range(0, n).Select(_ => rng.NextInt64(0, 1_000_000_000)).ToArray(),                             // uniform
        1 => Enumerable.Range(0, n).Select(_ => (long)(-Math.Log(1 - rng.NextDouble()) * 2_000_000)).ToArray(),          // exponential
        2 => Enumerable.Range(0, n).Select(_ => (long)Math.Exp(10 + (3 * Normal(rng)))).ToArray(),                         // log-normal, wide
        3 => Enumerable.Range(0, n).Select(_ => rng.NextDouble() < 0.99 ? rng.NextInt64(50_000, 60_000) : rng.NextInt64(5_000_000_000, 9_000_000_000)).ToArray(), // bimodal: rare stalls
        4 => Enumerable.Range(0, n).Select(_ => rng.NextInt64(0, 300)).ToArray(),                                         // small, exact range
        _ => Enumerable.Range(0, n).Select(_ => rng.NextInt64(0, long.MaxValue)).ToArray(),                               // the whole long range
    };

    private static double Normal(Random rng) => Math.Sqrt(-2 * Math.Log(1 - rng.NextDouble())) * Math.Cos(2 * Math.PI * rng.NextDouble());

    [Fact]
    public void Percentiles_should_be_within_the_stated_relative_error_of_the_exact_percentiles_for_random_distributions()
    {
        for (var seed = 0; seed < 120; seed++)
        {
            var rng = new Random(seed);
            var shape = seed % 6;
            var values = Sample(rng, shape, rng.Next(1, 5_000));
            var h = new LatencyHistogram();
            foreach (var v in values)
            {
                h.Record(v);
            }

            Array.Sort(values);
            foreach (var p in Percentiles)
            {
                var exact = Exact(values, p);
                var got = h.Percentile(p);
                Assert.True(Math.Abs(got - (double)exact) <= exact * LatencyHistogram.RelativeError,
                    $"seed {seed} shape {shape} n {values.Length} p{p}: histogram {got}, exact {exact}");
            }

            Assert.Equal(values[0], h.Min);
            Assert.Equal(values[^1], h.Max);
            Assert.Equal(values.Length, h.Count);
        }
    }

    [Fact]
    public void Values_below_256_should_be_counted_exactly()
    {
        var h = new LatencyHistogram();
        for (var v = 0; v < 256; v++)
        {
            h.Record(v);
        }

        Assert.Equal(127, h.Percentile(50));
        Assert.Equal(255, h.Percentile(100));
        Assert.All(h.NonEmptyBuckets(), b => Assert.Equal(b.Lower, b.Upper));
    }

    [Fact]
    public void Buckets_should_be_contiguous_and_never_wider_than_a_128th_of_their_lower_bound()
    {
        var h = new LatencyHistogram();
        for (var e = 0; e < 63; e++)
        {
            for (var m = 0; m < 300; m++)
            {
                h.Record((1L << e) + (m * Math.Max(1, (1L << e) / 300)));
            }
        }

        h.Record(long.MaxValue);
        foreach (var (lower, upper, _) in h.NonEmptyBuckets())
        {
            Assert.True(upper >= lower);
            Assert.True((double)(upper - lower + 1) <= Math.Max(1, lower / 128.0), $"bucket {lower}..{upper}");
        }
    }

    [Fact]
    public void Merge_should_equal_recording_every_value_into_one_histogram()
    {
        var rng = new Random(7);
        var a = new LatencyHistogram();
        var b = new LatencyHistogram();
        var all = new LatencyHistogram();
        for (var i = 0; i < 10_000; i++)
        {
            var v = rng.NextInt64(0, 10_000_000_000);
            (i % 3 == 0 ? a : b).Record(v);
            all.Record(v);
        }

        a.Merge(b);
        Assert.Equal(all.Count, a.Count);
        Assert.Equal(all.Min, a.Min);
        Assert.Equal(all.Max, a.Max);
        Assert.Equal(all.Sum, a.Sum);
        Assert.Equal(all.NonEmptyBuckets().ToList(), a.NonEmptyBuckets().ToList());
        foreach (var p in Percentiles)
        {
            Assert.Equal(all.Percentile(p), a.Percentile(p));
        }
    }

    [Fact]
    public void Record_should_not_allocate()
    {
        var h = new LatencyHistogram();
        h.Record(1);
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (long i = 0; i < 100_000; i++)
        {
            h.Record(i * 7919);
        }

        Assert.Equal(before, GC.GetAllocatedBytesForCurrentThread());
    }

    [Fact]
    public void An_empty_histogram_should_read_zero_and_a_reset_one_should_be_empty()
    {
        var h = new LatencyHistogram();
        Assert.Equal(0, h.Percentile(99));
        Assert.Equal(0, h.Min);
        h.Record(5_000);
        h.Record(-3); // negative latencies (clock skew) count as 0
        Assert.Equal(0, h.Min);
        h.Reset();
        Assert.Equal(0, h.Count);
        Assert.Equal(0, h.Max);
        Assert.Empty(h.NonEmptyBuckets());
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => h.Percentile(100.5));
    }
}
