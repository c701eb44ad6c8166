using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// A collateral asset (HOCON <c>crossmargin.engine.assets.&lt;id&gt;</c>): its haircut schedule, starting price and the
/// feed symbol that prices it. Immutable.
/// </summary>
/// <param name="Spec">The risk core's asset spec (haircut schedule).</param>
/// <param name="InitialPrice">Price in the valuation asset before the first tick.</param>
/// <param name="PriceFeed">
/// The tick symbol whose price is this asset's price: an instrument id (BTC ← <c>BTC-PERP</c>'s index), a spot
/// symbol of its own (USDE ← <c>USDE</c>, a price-only feed with no perpetual), or null for a fixed price (USDT).
/// </param>
/// <param name="TickSize">Price grid of a price-only feed (used when <see cref="PriceFeed"/> names no instrument).</param>
public sealed record AssetMarket(AssetSpec Spec, decimal InitialPrice, string? PriceFeed, decimal TickSize)
{
    /// <summary>Asset id.</summary>
    public string Id => Spec.Id;
}
