namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Builds the margin-ratio distribution (maintenance margin ÷ equity) the report charts before and after a run.
/// </summary>
/// <remarks>
/// A ratio of 1 (100%) is the liquidation threshold. Accounts with no equity (zero or negative) are
/// counted in the last bucket, since they are at or beyond bankruptcy whatever their margin. Use the
/// same bounds for "before" and "after" so the grouped bars line up. Pure; thread-safe.
/// </remarks>
public static class MarginRatioHistogram
{
    /// <summary>Default upper bounds: 0–20%, 20–50%, 50–80%, 80–100%, 100–150%, ≥150% (and no equity).</summary>
    public static IReadOnlyList<decimal> DefaultBounds { get; } = [0.2m, 0.5m, 0.8m, 1.0m, 1.5m];

    /// <summary>Counts each account in its bucket.</summary>
    /// <param name="accounts">Per account: maintenance margin and equity, both in the settlement currency.</param>
    /// <param name="bounds">Strictly increasing positive bucket edges; null for <see cref="DefaultBounds"/>.</param>
    public static IReadOnlyList<HistogramBucket> Build(IEnumerable<(decimal MaintenanceMargin, decimal Equity)> accounts, IReadOnlyList<decimal>? bounds = null)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        bounds ??= DefaultBounds;
        for (var i = 0; i < bounds.Count; i++)
        {
            if (bounds[i] <= 0m || (i > 0 && bounds[i] <= bounds[i - 1]))
            {
                throw new ArgumentException($"bounds must be positive and strictly increasing; bound {i} is {bounds[i]}", nameof(bounds));
            }
        }

        var counts = new long[bounds.Count + 1];
        foreach (var (mm, equity) in accounts)
        {
            counts[BucketOf(mm, equity, bounds)]++;
        }

        var buckets = new HistogramBucket[counts.Length];
        for (var i = 0; i < counts.Length; i++)
        {
            decimal? lower = i == 0 ? 0m : bounds[i - 1];
            decimal? upper = i < bounds.Count ? bounds[i] : null;
            buckets[i] = new HistogramBucket(Label(lower, upper), lower, upper, counts[i]);
        }

        return buckets;
    }

    private static int BucketOf(decimal mm, decimal equity, IReadOnlyList<decimal> bounds)
    {
        if (equity <= 0m)
        {
            return bounds.Count;
        }

        var ratio = mm / equity;
        for (var i = 0; i < bounds.Count; i++)
        {
            if (ratio < bounds[i]) return i;
        }

        return bounds.Count;
    }

    private static string Label(decimal? lower, decimal? upper) =>
        upper is null ? $"≥{Percent(lower!.Value)}" : $"{Percent(lower ?? 0m)}–{Percent(upper.Value)}";

    private static string Percent(decimal ratio) =>
        (ratio * 100m).ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) + "%";
}
