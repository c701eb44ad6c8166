using System.Collections.Immutable;

namespace CrossMargin.Risk.Waterfall;

/// <summary>An ADL fill: a counterparty's position cut against the bankrupt one, with its share of the loss.</summary>
/// <param name="AccountId">Counterparty.</param>
/// <param name="InstrumentId">Instrument.</param>
/// <param name="SizeDelta">Counterparty's size change.</param>
/// <param name="Price">Trade price (the mark; the charge makes it the bankruptcy price economically).</param>
/// <param name="Charge">Loss assigned to the counterparty (settlement asset).</param>
/// <param name="Rank">Ranking score used.</param>
public sealed record AdlFill(string AccountId, string InstrumentId, decimal SizeDelta, decimal Price, decimal Charge, decimal Rank);

/// <summary>What the waterfall did for one bankruptcy (settlement asset).</summary>
/// <param name="Book">The book after.</param>
/// <param name="Deficit">Loss beyond the account's collateral, after the close at mark.</param>
/// <param name="CollateralSeized">Value of non-settlement collateral seized (haircut value).</param>
/// <param name="LiquidationFee">Fee taken from a positive remainder.</param>
/// <param name="InsurancePaid">Covered by the insurance fund.</param>
/// <param name="Adl">ADL fills.</param>
/// <param name="AdlCharged">Σ ADL charges.</param>
/// <param name="Socialized">Spread over accounts with positive equity.</param>
/// <param name="Unassigned">Left unassigned (stays as a negative balance); 0 when the steps had capacity.</param>
public sealed record WaterfallResult(
    Book Book,
    decimal Deficit,
    decimal CollateralSeized,
    decimal LiquidationFee,
    decimal InsurancePaid,
    ImmutableArray<AdlFill> Adl,
    decimal AdlCharged,
    decimal Socialized,
    decimal Unassigned);
