namespace CrossMargin.Risk.Model;

/// <summary>A collateral or settlement asset. Its price (valuation asset per unit) comes from <see cref="MarketPrices"/>.</summary>
/// <param name="Id">Asset code, e.g. <c>BTC</c>, <c>USDT</c>.</param>
/// <param name="Haircut">Collateral ratio schedule.</param>
public sealed record AssetSpec(string Id, HaircutSchedule Haircut);
