namespace CrossMargin.Engine.Feeds;

/// <summary>
/// Summary of book depth in one band over a file, for calibrating <see cref="Market.DepthThinningParameters"/>:
/// <see cref="Floor"/> is the deepest thinning observed relative to the normal (median) depth.
/// </summary>
/// <param name="Percentage">The band (e.g. −1 = bids within 1% of mid).</param>
/// <param name="Samples">Number of samples in the band.</param>
/// <param name="BaselineDepth">Median depth: the "normal" book.</param>
/// <param name="MaximumDepth">Largest depth seen.</param>
/// <param name="MinimumDepth">Smallest depth seen.</param>
/// <param name="MinimumTime">Time of the first sample with the smallest depth.</param>
public sealed record DepthCalibration(
    int Percentage, int Samples, decimal BaselineDepth, decimal MaximumDepth, decimal MinimumDepth, DateTimeOffset MinimumTime)
{
    /// <summary>Minimum depth ÷ baseline depth, capped at 1: the depth factor at the worst point.</summary>
    public decimal Floor => BaselineDepth > 0 ? Math.Min(1m, MinimumDepth / BaselineDepth) : 1m;

    /// <summary>1 − minimum ÷ maximum: how much of the deepest book vanished at the worst point (0.98 = 98%).</summary>
    public decimal CollapseFromPeak => MaximumDepth > 0 ? 1m - (MinimumDepth / MaximumDepth) : 0m;
}
