using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// The opening state of one account as inputs: deposits first (in list order), then trades (in list order).
/// The engine applies them as user commands (<c>Deposited</c>, <c>TradeFilled</c>) before the first tick.
/// </summary>
/// <param name="AccountId">Account id; 0 is the market maker, trading accounts are 1..N.</param>
/// <param name="Mode">Margin mode of the account (the market maker is always cross).</param>
/// <param name="Deposits">Collateral deposited, per asset, in asset units (positive, distinct assets, ordinal order).</param>
/// <param name="Trades">This account's side of every opening trade it takes part in.</param>
public sealed record AccountSeed(
    long AccountId,
    MarginMode Mode,
    IReadOnlyList<(string Asset, decimal Amount)> Deposits,
    IReadOnlyList<SeedTrade> Trades)
{
    /// <summary>The persistence-friendly account id text the risk core's <see cref="Account"/> uses (<c>"42"</c>).</summary>
    public string RiskAccountId => AccountId.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>Net signed size per instrument after all trades, ordered by instrument id.</summary>
    public IReadOnlyList<(string Instrument, decimal Size)> NetPositions()
    {
        var sums = new SortedDictionary<string, decimal>(StringComparer.Ordinal);
        foreach (var t in Trades)
        {
            sums[t.Instrument] = sums.GetValueOrDefault(t.Instrument) + t.Size;
        }

        return [.. sums.Where(kv => kv.Value != 0m).Select(kv => (kv.Key, kv.Value))];
    }
}
