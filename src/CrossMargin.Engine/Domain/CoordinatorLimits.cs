namespace CrossMargin.Engine.Domain;

/// <summary>Liquidation-coordinator limits on top of the risk core's per-account strategy.</summary>
/// <param name="MaxRoundsPerTick">Cascade rounds allowed between two ticks (a guard; the cascade normally ends sooner).</param>
/// <param name="MaxNotionalPerRound">Notional (valuation asset) liquidated per round across all accounts; null = no cap. Requests over the cap wait for the next round.</param>
/// <param name="AdlCandidatesPerSide">Most-profitable opposite accounts per instrument put in the waterfall's book (besides the market maker).</param>
/// <param name="SettlementAsset">The asset the insurance fund and fee pool are kept in.</param>
/// <param name="MaxActionsPerRound">Fills and waterfalls per round; null = no cap. Requests past the cap (in severity order) wait for the
/// next round: this bounds how long one round holds the engine when rounds are interleaved with ticks.</param>
public sealed record CoordinatorLimits(int MaxRoundsPerTick = 100, decimal? MaxNotionalPerRound = null, int AdlCandidatesPerSide = 32, string SettlementAsset = "USDT", int? MaxActionsPerRound = null)
{
    /// <summary>Defaults.</summary>
    public static CoordinatorLimits Default { get; } = new();
}
