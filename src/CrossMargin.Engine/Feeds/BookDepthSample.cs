namespace CrossMargin.Engine.Feeds;

/// <summary>One row of a Binance bookDepth file: cumulative book depth within a percentage of mid at one time.</summary>
/// <param name="Time">UTC time of the snapshot.</param>
/// <param name="Percentage">Band in percent of mid: negative = bids (−1 = within 1% below mid), positive = asks.</param>
/// <param name="Depth">Cumulative quantity in base units (e.g. BTC) within the band.</param>
/// <param name="Notional">Cumulative quote notional (e.g. USDT) within the band.</param>
/// <param name="WeightedAveragePrice">Volume-weighted average price of that depth.</param>
public readonly record struct BookDepthSample(
    DateTimeOffset Time, int Percentage, decimal Depth, decimal Notional, decimal WeightedAveragePrice);
