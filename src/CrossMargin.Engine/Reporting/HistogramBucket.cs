namespace CrossMargin.Engine.Reporting;

/// <summary>One bucket of a margin-ratio distribution: accounts whose ratio lies in [<see cref="Lower"/>, <see cref="Upper"/>).</summary>
/// <param name="Label">What the chart prints under the bar, e.g. <c>50–80%</c>.</param>
/// <param name="Lower">Inclusive lower bound of the margin ratio (maintenance margin / equity, 1 = 100%); null for "below everything".</param>
/// <param name="Upper">Exclusive upper bound; null for the open-ended last bucket.</param>
/// <param name="Count">How many accounts fell in the bucket.</param>
public sealed record HistogramBucket(string Label, decimal? Lower, decimal? Upper, long Count);
