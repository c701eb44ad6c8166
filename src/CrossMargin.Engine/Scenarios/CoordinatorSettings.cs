namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// The liquidation coordinator's own limits (HOCON <c>crossmargin.engine.coordinator</c>). The per-account
/// strategy (fraction per round, per-round notional cap, cooldown, full-close threshold) and the loss waterfall
/// (insurance fund, ADL ranking, socialized loss) are the risk core's and live in <see cref="Scenario.Risk"/>
/// (<c>Strategy</c>, <c>Waterfall</c>).
/// </summary>
/// <param name="RoundInterval">Virtual time between cascade rounds in thread-pool mode; in deterministic mode rounds run when idle, stamped this far apart.</param>
/// <param name="NotionalCapPerInterval">System-wide liquidation notional (valuation asset) per <paramref name="CapInterval"/>; null = no cap.</param>
/// <param name="CapInterval">Window of <paramref name="NotionalCapPerInterval"/>.</param>
/// <param name="MaxRoundsPerTick">Cascade rounds run after one tick before the next tick is fed (guards against endless loops).</param>
/// <param name="InsuranceFundAsset">Asset the insurance fund is held in.</param>
/// <param name="InsuranceFundStart">Insurance fund balance at the start (asset units).</param>
public sealed record CoordinatorSettings(
    TimeSpan RoundInterval,
    decimal? NotionalCapPerInterval,
    TimeSpan CapInterval,
    int MaxRoundsPerTick,
    string InsuranceFundAsset,
    decimal InsuranceFundStart);
