namespace CrossMargin.Risk.Margin;

/// <summary>
/// One notional bracket (Binance <c>leverageBracket</c>): applies to notional in (floor, cap] (the first bracket
/// includes 0). Notional in the settlement asset; rates as fractions (0.004 = 0.4%).
/// </summary>
/// <param name="NotionalFloor">Lower bound (exclusive, except 0 for the first bracket).</param>
/// <param name="NotionalCap">Upper bound (inclusive).</param>
/// <param name="MaintenanceRate">MMR of the bracket.</param>
/// <param name="MaxLeverage">Largest leverage allowed; IM rate = 1 / MaxLeverage.</param>
public sealed record Bracket(decimal NotionalFloor, decimal NotionalCap, decimal MaintenanceRate, decimal MaxLeverage);
