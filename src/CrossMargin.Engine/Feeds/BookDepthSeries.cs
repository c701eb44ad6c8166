namespace CrossMargin.Engine.Feeds;

/// <summary>
/// Book depth over time per band, read from a Binance bookDepth file by <see cref="BookDepthFile.Read"/>. Immutable;
/// safe to share between threads.
/// </summary>
public sealed class BookDepthSeries
{
    private readonly Dictionary<int, BookDepthSample[]> _byPercentage;

    internal BookDepthSeries(IReadOnlyList<BookDepthSample> samples, long skippedRows)
    {
        Samples = samples;
        SkippedRows = skippedRows;
        _byPercentage = samples.GroupBy(s => s.Percentage).ToDictionary(g => g.Key, g => g.ToArray());
        Percentages = [.. _byPercentage.Keys.Order()];
    }

    /// <summary>All samples in file order (time-ordered).</summary>
    public IReadOnlyList<BookDepthSample> Samples { get; }

    /// <summary>Rows skipped as bad (only when read with skipBadRows).</summary>
    public long SkippedRows { get; }

    /// <summary>The bands present, ascending (e.g. −5…−1, 1…5).</summary>
    public IReadOnlyList<int> Percentages { get; }

    /// <summary>The samples of one band in time order (empty when the band is absent).</summary>
    public IReadOnlyList<BookDepthSample> Band(int percentage) =>
        _byPercentage.TryGetValue(percentage, out BookDepthSample[]? band) ? band : [];

    /// <summary>The depth of the band at <paramref name="time"/>: the last sample at or before it (the first sample when earlier than all).</summary>
    /// <exception cref="ArgumentException">The band is absent.</exception>
    public decimal DepthAt(int percentage, DateTimeOffset time)
    {
        BookDepthSample[] band = RequireBand(percentage);
        int lo = 0;
        int hi = band.Length - 1;
        int found = 0;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) / 2);
            if (band[mid].Time <= time)
            {
                found = mid;
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return band[found].Depth;
    }

    /// <summary>
    /// The depth factor at <paramref name="time"/> for <see cref="Market.SquareRootImpactModel.Quote"/>: depth ÷ baseline
    /// (median) depth, clamped to [<paramref name="minimum"/>, 1].
    /// </summary>
    public decimal DepthFactorAt(int percentage, DateTimeOffset time, decimal minimum = 0.0001m)
    {
        decimal baseline = Calibrate(percentage).BaselineDepth;
        decimal ratio = baseline > 0 ? DepthAt(percentage, time) / baseline : 1m;
        return Math.Clamp(ratio, minimum, 1m);
    }

    /// <summary>Summarises one band: baseline (median), extremes and the floor ratio.</summary>
    /// <exception cref="ArgumentException">The band is absent.</exception>
    public DepthCalibration Calibrate(int percentage)
    {
        BookDepthSample[] band = RequireBand(percentage);
        decimal[] depths = [.. band.Select(s => s.Depth).Order()];
        int n = depths.Length;
        decimal median = n % 2 == 1 ? depths[n / 2] : (depths[(n / 2) - 1] + depths[n / 2]) / 2m;
        BookDepthSample minimum = band[0];
        foreach (BookDepthSample s in band)
        {
            if (s.Depth < minimum.Depth)
            {
                minimum = s;
            }
        }

        return new DepthCalibration(percentage, n, median, depths[^1], minimum.Depth, minimum.Time);
    }

    private BookDepthSample[] RequireBand(int percentage) =>
        _byPercentage.TryGetValue(percentage, out BookDepthSample[]? band) && band.Length > 0
            ? band
            : throw new ArgumentException($"No book-depth samples at {percentage}%.", nameof(percentage));
}
