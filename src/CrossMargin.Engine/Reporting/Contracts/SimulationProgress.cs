namespace CrossMargin.Engine.Reporting;

/// <summary>
/// A snapshot of a running simulation for the live display. Reported through <see cref="IProgress{T}"/>
/// a few times per second at most; every field is cumulative since the start of the run.
/// </summary>
/// <param name="SimulatedTime">The simulation clock.</param>
/// <param name="Ticks">Price ticks processed so far.</param>
/// <param name="TotalTicks">Ticks the scenario will produce, when known (for a progress bar); null otherwise.</param>
/// <param name="Events">Events journaled so far.</param>
/// <param name="MarginCalls">Margin calls issued so far.</param>
/// <param name="Liquidations">Liquidation fills so far.</param>
/// <param name="LiquidationNotional">Notional liquidated so far.</param>
/// <param name="InsuranceFund">Insurance fund balance now.</param>
/// <param name="CascadeRound">Round of the cascade under way; 0 when none.</param>
public readonly record struct SimulationProgress(
    DateTimeOffset SimulatedTime,
    long Ticks,
    long? TotalTicks,
    long Events,
    long MarginCalls,
    long Liquidations,
    decimal LiquidationNotional,
    decimal InsuranceFund,
    int CascadeRound);
