namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// The market maker (HOCON <c>crossmargin.engine.market-maker</c>): the account on the other side of every opening
/// trade the population cannot match internally and of every liquidation fill. Always cross margin.
/// </summary>
/// <param name="AccountId">Its account id (0 by default; trading accounts are 1..N, so it must not be in that range).</param>
/// <param name="Deposits">Its collateral per asset, in asset units, ordinal order.</param>
public sealed record MarketMakerSettings(long AccountId, IReadOnlyList<(string Asset, decimal Amount)> Deposits);
