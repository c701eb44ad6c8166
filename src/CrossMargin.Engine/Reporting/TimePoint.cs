namespace CrossMargin.Engine.Reporting;

/// <summary>One point of a report time series: a simulated (virtual-clock) instant and an exact value.</summary>
/// <param name="Time">When, on the simulation's clock (UTC), never the wall clock.</param>
/// <param name="Value">The value at that instant: a price, an amount of money or a rate, in the series' unit.</param>
public readonly record struct TimePoint(DateTimeOffset Time, decimal Value);
