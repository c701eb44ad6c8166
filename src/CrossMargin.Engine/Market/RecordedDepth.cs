using CrossMargin.Engine.Feeds;

namespace CrossMargin.Engine.Market;

/// <summary>
/// The order-book depth a recording (a Binance bookDepth file) shows over time, as a factor for
/// <see cref="SquareRootImpactModel.Quote"/>: depth at the time ÷ the band's median depth over the file, clamped to
/// [<see cref="Minimum"/>, 1]. <see cref="DepthThinning"/> multiplies its own stress factor by it, so the square-root law
/// sees the recorded liquidity, thinned further by the run's own drawdown and liquidations as configured.
/// Immutable and thread-safe.
/// </summary>
public sealed class RecordedDepth
{
    private readonly BookDepthSeries _series;

    /// <summary>Reads <paramref name="band"/> of <paramref name="series"/>; the median is computed once here.</summary>
    /// <param name="series">The depth samples.</param>
    /// <param name="band">The band (e.g. <c>-1</c>: bids within 1% of mid).</param>
    /// <param name="minimum">Smallest factor returned, in (0, 1] (an empty book would make the law divide by zero).</param>
    /// <exception cref="ArgumentException">The band is absent from the series or the minimum is out of range.</exception>
    public RecordedDepth(BookDepthSeries series, int band, decimal minimum = 0.0001m)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (minimum <= 0m || minimum > 1m)
        {
            throw new ArgumentOutOfRangeException(nameof(minimum), minimum, "The minimum depth factor must be in (0, 1].");
        }

        _series = series;
        Band = band;
        Minimum = minimum;
        Baseline = series.Calibrate(band).BaselineDepth;
    }

    /// <summary>The band read.</summary>
    public int Band { get; }

    /// <summary>Smallest factor returned.</summary>
    public decimal Minimum { get; }

    /// <summary>The band's median depth over the file (base units): the depth that counts as normal (factor 1).</summary>
    public decimal Baseline { get; }

    /// <summary>The factor at <paramref name="time"/>: the last sample at or before it (the first sample when earlier than all) ÷ <see cref="Baseline"/>, clamped.</summary>
    public decimal FactorAt(DateTimeOffset time)
    {
        var ratio = Baseline > 0m ? _series.DepthAt(Band, time) / Baseline : 1m;
        return Math.Clamp(ratio, Minimum, 1m);
    }
}
