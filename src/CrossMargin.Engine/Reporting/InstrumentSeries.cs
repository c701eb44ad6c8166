namespace CrossMargin.Engine.Reporting;

/// <summary>Index and mark price of one instrument over simulated time, each downsampled to at most <see cref="SeriesDownsampler.DefaultMaxPoints"/> points.</summary>
/// <param name="Instrument">The instrument symbol, e.g. <c>BTC-PERP</c>.</param>
/// <param name="Index">Index price (the exogenous reference) over time.</param>
/// <param name="Mark">Mark price (index plus basis plus liquidation impact) over time.</param>
public sealed record InstrumentSeries(string Instrument, IReadOnlyList<TimePoint> Index, IReadOnlyList<TimePoint> Mark);
