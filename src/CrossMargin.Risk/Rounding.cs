namespace CrossMargin.Risk;

/// <summary>
/// Explicit rounding to tick and lot. Rules (docs/risk.md §Rounding): liquidation sizes round UP to the lot so the
/// risk is restored; caps (fraction, notional per round) round DOWN; a long's liquidation and bankruptcy prices round
/// UP and a short's DOWN (the conservative side: liquidation triggers no later, close-out never implies negative equity).
/// </summary>
public static class Rounding
{
    /// <summary>Decimal places of cost-basis shares (toward zero); keeps cost sums within decimal's 28 digits, hence exact.</summary>
    public const int CostDecimals = 16;

    /// <summary>Rounds a cost-basis amount to <see cref="CostDecimals"/> places, toward zero.</summary>
    public static decimal Cost(decimal value) => decimal.Round(value, CostDecimals, MidpointRounding.ToZero);

    /// <summary>Rounds <paramref name="value"/> up to a multiple of <paramref name="step"/>.</summary>
    public static decimal Up(decimal value, decimal step) => decimal.Ceiling(value / step) * step;

    /// <summary>Rounds <paramref name="value"/> down to a multiple of <paramref name="step"/>.</summary>
    public static decimal Down(decimal value, decimal step) => decimal.Floor(value / step) * step;

    /// <summary>Rounds a price for a position of sign <paramref name="side"/>: long up, short down.</summary>
    public static decimal PriceConservative(decimal price, decimal tick, int side) => side > 0 ? Up(price, tick) : Down(price, tick);
}
