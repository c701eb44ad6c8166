namespace CrossMargin.Engine.Scenarios;

/// <summary>One weighted choice of a categorical distribution (leverage bucket, collateral asset, instrument).</summary>
/// <typeparam name="T">The value chosen.</typeparam>
/// <param name="Value">The value.</param>
/// <param name="Weight">Relative weight (positive; weights need not sum to 1).</param>
public sealed record Weighted<T>(T Value, decimal Weight);

/// <summary>
/// How the account population is generated (HOCON <c>crossmargin.engine.population</c>). Every draw comes from the
/// scenario seed, so equal settings and seed give an identical population.
/// </summary>
/// <param name="Accounts">Number of trading accounts (1..10,000,000).</param>
/// <param name="CollateralMedian">Median account collateral value in the valuation asset (lognormal).</param>
/// <param name="CollateralSigma">σ of ln(collateral value).</param>
/// <param name="CollateralMin">Lower clip of the collateral value.</param>
/// <param name="CollateralMax">Upper clip of the collateral value.</param>
/// <param name="Leverage">Leverage buckets: target notional ÷ haircut collateral value, scaled down per account until initial margin passes.</param>
/// <param name="CollateralMix">Weights of the asset an account's collateral is held in.</param>
/// <param name="SecondAssetShare">Share of accounts that split their collateral half-and-half with a second asset from the mix.</param>
/// <param name="Instruments">Weights of the instruments positions are opened in.</param>
/// <param name="MinPositions">Fewest positions per account (≥ 1).</param>
/// <param name="MaxPositions">Most positions per account (≤ number of instruments).</param>
/// <param name="LongShare">Probability that a directional position is long (0.5 = balanced; the market maker takes the imbalance).</param>
/// <param name="HedgedShare">Share of accounts with a hedged book (spot collateral + short perp, or long one perp + short another).</param>
/// <param name="HedgedLeverage">Target leverage of hedged books.</param>
/// <param name="MarketMakerShare">Share of each position filled directly against the market maker instead of another account.</param>
public sealed record PopulationSettings(
    int Accounts,
    decimal CollateralMedian,
    double CollateralSigma,
    decimal CollateralMin,
    decimal CollateralMax,
    IReadOnlyList<Weighted<decimal>> Leverage,
    IReadOnlyList<Weighted<string>> CollateralMix,
    decimal SecondAssetShare,
    IReadOnlyList<Weighted<string>> Instruments,
    int MinPositions,
    int MaxPositions,
    decimal LongShare,
    decimal HedgedShare,
    decimal HedgedLeverage,
    decimal MarketMakerShare);
