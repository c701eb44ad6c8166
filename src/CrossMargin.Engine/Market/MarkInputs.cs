namespace CrossMargin.Engine.Market;

/// <summary>
/// What a mark-price model sees at one instant for one instrument.
/// </summary>
/// <param name="Time">UTC instant of the update; must not go backwards between calls on one model.</param>
/// <param name="Index">Index (spot / oracle) price; positive.</param>
/// <param name="LastPrice">Last traded price of the contract, when known.</param>
/// <param name="ImpactMid">Mid of the impact bid/ask (or book mid) when known; preferred over <paramref name="LastPrice"/> for the basis.</param>
/// <param name="FundingRate">Current funding rate per 8 h interval as a fraction (0.0001 = 0.01%); used by the median-of-three model.</param>
/// <param name="TimeToFunding">Time until the next funding; used by the median-of-three model.</param>
public readonly record struct MarkInputs(
    DateTimeOffset Time,
    decimal Index,
    decimal? LastPrice = null,
    decimal? ImpactMid = null,
    decimal FundingRate = 0m,
    TimeSpan TimeToFunding = default)
{
    /// <summary>The basis sample <c>(impact mid or last price) − index</c>, or null when neither price is known.</summary>
    public decimal? BasisSample => (ImpactMid ?? LastPrice) - Index;
}
