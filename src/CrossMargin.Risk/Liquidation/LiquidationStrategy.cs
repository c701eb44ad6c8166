using CrossMargin.Risk.Errors;

namespace CrossMargin.Risk.Liquidation;

/// <summary>
/// Incremental-liquidation limits, as data so the engine can compare strategies (HOCON
/// <c>crossmargin.risk.liquidation.strategy.*</c>). The engine enforces <see cref="Cooldown"/> with its own clock.
/// </summary>
/// <param name="Name">Label for reports.</param>
/// <param name="MaxFractionPerRound">Largest fraction of a position closed per round (dYdX 0.1, Hyperliquid 0.2, Binance 1).</param>
/// <param name="MaxNotionalPerRound">Largest notional (valuation asset) closed per round across positions; null = no cap.</param>
/// <param name="Cooldown">Wait between rounds (Deribit 1 s, Hyperliquid 30 s).</param>
/// <param name="FullCloseBelowNotional">Positions smaller than this are closed whole (Hyperliquid 100k; Drift's $50 rule).</param>
public sealed record LiquidationStrategy(
    string Name,
    decimal MaxFractionPerRound = 1m,
    decimal? MaxNotionalPerRound = null,
    TimeSpan Cooldown = default,
    decimal FullCloseBelowNotional = 0m)
{
    /// <summary>Binance-like: one order sized to restore the exit level, no cap.</summary>
    public static LiquidationStrategy OneShot { get; } = new("one-shot");

    /// <summary>Deribit-like: one round per second.</summary>
    public static LiquidationStrategy Deribit { get; } = new("deribit", Cooldown: TimeSpan.FromSeconds(1));

    /// <summary>dYdX-like: at most 10% of a position per round.</summary>
    public static LiquidationStrategy Dydx { get; } = new("dydx", MaxFractionPerRound: 0.1m);

    /// <summary>Hyperliquid-like: 20% of positions above 100k, then a 30 s cooldown.</summary>
    public static LiquidationStrategy Hyperliquid { get; } = new("hyperliquid", 0.2m, null, TimeSpan.FromSeconds(30), 100_000m);

    /// <summary>Checks fraction in (0, 1], positive cap, non-negative cooldown and threshold.</summary>
    public LiquidationStrategy Validate()
    {
        if (MaxFractionPerRound <= 0m || MaxFractionPerRound > 1m)
        {
            throw new RiskInputException("liquidation.strategy.max-fraction-per-round", Guard.Text(MaxFractionPerRound), "must lie in (0, 1]");
        }

        if (MaxNotionalPerRound is { } cap)
        {
            Guard.Positive(cap, "liquidation.strategy.max-notional-per-round");
        }

        if (Cooldown < TimeSpan.Zero)
        {
            throw new RiskInputException("liquidation.strategy.cooldown", Cooldown.ToString(), "must not be negative");
        }

        Guard.NonNegative(FullCloseBelowNotional, "liquidation.strategy.full-close-below-notional");
        return this;
    }
}
