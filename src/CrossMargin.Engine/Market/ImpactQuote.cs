namespace CrossMargin.Engine.Market;

/// <summary>The result of executing an order of size Q against the impact model.</summary>
/// <param name="Side">Taker side.</param>
/// <param name="Quantity">Executed size in base units.</param>
/// <param name="ReferencePrice">Price before the order (mark or last).</param>
/// <param name="RelativeImpact">|ΔP|/P after the cap, unrounded.</param>
/// <param name="PriceChange">Signed price move from the reference to <paramref name="FinalPrice"/> (negative for a sell).</param>
/// <param name="FinalPrice">Price after the order, on the tick grid, rounded against the taker (down for a sell, up for a buy).</param>
/// <param name="AverageFillPrice">Average execution price: the reference moved by ⅔ of ΔP (the mean of √ over the order), on the tick grid, rounded against the taker.</param>
/// <param name="DepthFactor">Depth multiplier used (1 = normal book, smaller = thinner).</param>
public readonly record struct ImpactQuote(
    TradeSide Side,
    decimal Quantity,
    decimal ReferencePrice,
    decimal RelativeImpact,
    decimal PriceChange,
    decimal FinalPrice,
    decimal AverageFillPrice,
    decimal DepthFactor)
{
    /// <summary>Quantity × average fill price: the quote-currency value exchanged.</summary>
    public decimal Notional => Quantity * AverageFillPrice;
}
