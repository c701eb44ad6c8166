namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// One side of a matched opening trade. Every trade appears twice in a <see cref="Population"/>: once in each
/// party's <see cref="AccountSeed.Trades"/>, with opposite sizes and each naming the other as counterparty, so applying
/// every seed (the market maker's included) leaves Σ signed size per instrument at exactly 0.
/// </summary>
/// <param name="Instrument">Instrument id, e.g. <c>BTC-PERP</c>.</param>
/// <param name="Size">Signed size of THIS side (+ buys/long, − sells/short), a multiple of the instrument's lot size.</param>
/// <param name="Price">Fill price (the instrument's initial price; on the tick grid).</param>
/// <param name="CounterpartyId">The account on the other side (0 = the market maker).</param>
/// <param name="IsolatedMargin">
/// Isolated-mode accounts only: margin (settlement asset) to move from the pool to this position before the fill
/// (the risk core's <c>IsolatedMarginAssigned</c>); 0 in cross and portfolio mode and for the market maker.
/// </param>
public sealed record SeedTrade(string Instrument, decimal Size, decimal Price, long CounterpartyId, decimal IsolatedMargin = 0m);
