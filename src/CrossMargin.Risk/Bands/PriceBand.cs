using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Bands;

/// <summary>A closed price interval [Low, High] (quote per base unit for marks, valuation asset for asset prices).</summary>
/// <param name="Low">Lowest price inside.</param>
/// <param name="High">Highest price inside.</param>
public readonly record struct PriceBand(decimal Low, decimal High)
{
    /// <summary>True when <paramref name="price"/> lies in [Low, High].</summary>
    public bool Contains(decimal price) => price >= Low && price <= High;
}

/// <summary>
/// Bands of every price an account depends on. Guarantee: while every mark and asset price stays inside its band
/// (all moving at once, in any combination) and every asset of <see cref="BandConfig.FixedPriceAssets"/> keeps its
/// price (such assets get no band), the account's risk state — computed with <see cref="State"/> itself as
/// the previous state, as the engine does once it has recorded the state — equals <see cref="State"/>. The engine can
/// skip re-margining an account until a tick leaves a band. (Not promised for the previous state the bands were
/// computed from: the exit level limits the bands of Liquidating and Backstop states only.) Directional bands (cross
/// accounts) are not centred: each price's band reaches further on the side that cannot hurt the account.
/// </summary>
/// <param name="State">The state now.</param>
/// <param name="RelativeWidth">Relative half-width ρ of the bands (before tick rounding): the common one, or for directional bands the narrower of the two sides.</param>
/// <param name="Marks">Band per instrument mark, in ordinal order of the instrument id.</param>
/// <param name="AssetPrices">Band per asset price, in ordinal order of the asset id.</param>
public sealed record RiskBandSet(
    RiskState State,
    decimal RelativeWidth,
    BandMap Marks,
    BandMap AssetPrices);
