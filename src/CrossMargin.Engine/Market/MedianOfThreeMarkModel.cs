namespace CrossMargin.Engine.Market;

/// <summary>
/// Binance-style mark: <c>median(P1, P2, last)</c> with <c>P1 = index·(1 + fundingRate·timeToFunding/8h)</c>,
/// <c>P2 = index + EMA(basis)</c> and <c>last</c> the last traded price. When no last price is known the third
/// value is P2, so the mark is P2. Rounded half-to-even to the tick size.
/// </summary>
/// <remarks>Not thread-safe; one instance per instrument feed.</remarks>
public sealed class MedianOfThreeMarkModel : MarkModelBase
{
    private static readonly decimal FundingIntervalTicks = TimeSpan.FromHours(8).Ticks;

    /// <summary>Creates the model.</summary>
    /// <param name="tickSize">Instrument tick size (positive).</param>
    /// <param name="basisHalfLife">Half-life of the basis EMA (positive).</param>
    public MedianOfThreeMarkModel(decimal tickSize, TimeSpan basisHalfLife)
        : base(tickSize, basisHalfLife)
    {
    }

    /// <inheritdoc />
    protected override decimal Compute(in MarkInputs inputs, decimal indexPlusEmaBasis)
    {
        decimal fundingFraction = inputs.TimeToFunding.Ticks / FundingIntervalTicks;
        decimal p1 = inputs.Index * (1m + (inputs.FundingRate * fundingFraction));
        decimal p3 = inputs.LastPrice ?? indexPlusEmaBasis;
        return Median(p1, indexPlusEmaBasis, p3);
    }

    /// <summary>The median of three values.</summary>
    public static decimal Median(decimal a, decimal b, decimal c) =>
        Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
}
