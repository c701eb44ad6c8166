namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Counts occurrences (e.g. liquidation fills) per whole simulated second and yields a per-second
/// rate series for a bar chart.
/// </summary>
/// <remarks>
/// Seconds with no occurrence are absent from the output (the chart draws them as gaps). When there
/// are more seconds than the bound, consecutive seconds are merged into k-second buckets
/// (k = ceil(seconds / bound)) aligned on the first second, and each value is the bucket's count ÷ k,
/// so it stays "per second". Deterministic. Not thread-safe: one writer.
/// </remarks>
public sealed class RateRecorder
{
    private readonly SortedDictionary<long, long> _countsBySecond = new();

    /// <summary>Total of every count recorded.</summary>
    public long Total { get; private set; }

    /// <summary>Records <paramref name="count"/> occurrences at simulated instant <paramref name="time"/>.</summary>
    public void Record(DateTimeOffset time, long count = 1)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var second = time.ToUnixTimeSeconds();
        _countsBySecond[second] = _countsBySecond.GetValueOrDefault(second) + count;
        Total += count;
    }

    /// <summary>The rate series: one point per (possibly merged) second that had occurrences, time = bucket start (UTC).</summary>
    public IReadOnlyList<TimePoint> Build(int maxPoints = SeriesDownsampler.DefaultMaxPoints)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        if (_countsBySecond.Count == 0)
        {
            return [];
        }

        var first = _countsBySecond.Keys.First();
        var span = _countsBySecond.Keys.Last() - first + 1;
        var width = Math.Max(1, (span + maxPoints - 1) / maxPoints);
        var merged = new SortedDictionary<long, long>();
        foreach (var (second, count) in _countsBySecond)
        {
            var bucket = first + ((second - first) / width * width);
            merged[bucket] = merged.GetValueOrDefault(bucket) + count;
        }

        return merged
            .Select(kv => new TimePoint(DateTimeOffset.FromUnixTimeSeconds(kv.Key), (decimal)kv.Value / width))
            .ToArray();
    }
}
