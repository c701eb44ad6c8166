using System.Collections.Immutable;
using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Waterfall;

/// <summary>
/// The accounts of one settlement asset plus the insurance fund and fee pool: what liquidation, the waterfall and
/// ADL move money between. Immutable. Every operation is a trade between two accounts at one price or a transfer,
/// so Σ (balances + isolated margins + uPnL) + insurance fund + fee pool is conserved and
/// long open interest equals short open interest.
/// </summary>
/// <param name="SettlementAsset">The asset PnL, fees and the fund are kept in (e.g. USDT).</param>
/// <param name="Accounts">Accounts by id.</param>
/// <param name="InsuranceFund">Insurance fund balance (settlement asset).</param>
/// <param name="FeePool">Liquidation fees not paid to the fund (settlement asset).</param>
/// <param name="SeizedCollateral">
/// Non-settlement collateral sold off bankrupt accounts, by asset (asset units; a record, no longer in the book): the
/// account is credited its haircut value and the fund the haircut discount, so the market value stays in the book.
/// </param>
public sealed record Book(
    string SettlementAsset,
    ImmutableSortedDictionary<string, Account> Accounts,
    decimal InsuranceFund,
    decimal FeePool,
    ImmutableSortedDictionary<string, decimal> SeizedCollateral)
{
    /// <summary>A book of <paramref name="accounts"/> with an insurance fund.</summary>
    public static Book Create(string settlementAsset, IEnumerable<Account> accounts, decimal insuranceFund) =>
        new(settlementAsset, accounts.ToImmutableSortedDictionary(a => a.Id, a => a, StringComparer.Ordinal), Guard.NonNegative(insuranceFund, "insurance-fund"), 0m,
            ImmutableSortedDictionary<string, decimal>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Account <paramref name="id"/>; throws when unknown.</summary>
    public Account Account(string id) => Accounts.TryGetValue(id, out var a) ? a : throw new RiskInputException("account", id, "unknown account");

    /// <summary>Copy with <paramref name="account"/> replaced or added.</summary>
    public Book With(Account account) => this with { Accounts = Accounts.SetItem(account.Id, account) };

    /// <summary>
    /// Total money in settlement units: Σ balances (other assets at market price) + isolated margins + uPnL at
    /// <paramref name="prices"/>, plus fund and fee pool. Conserved by every book operation.
    /// </summary>
    public decimal TotalValue(RiskCatalog catalog, MarketPrices prices)
    {
        var ps = prices.Price(SettlementAsset);
        var total = InsuranceFund + FeePool;
        foreach (var a in Accounts.Values)
        {
            foreach (var (asset, amount) in a.Balances)
            {
                total += asset == SettlementAsset ? amount : amount * prices.Price(asset) / ps;
            }

            foreach (var (id, p) in a.Positions)
            {
                total += p.IsolatedMargin + PositionMath.UnrealizedPnl(catalog.Instrument(id), p, prices.Mark(id));
            }
        }

        return total;
    }

    /// <summary>Σ positive sizes and Σ |negative sizes| of <paramref name="instrumentId"/>.</summary>
    public (decimal Long, decimal Short) OpenInterest(string instrumentId)
    {
        decimal l = 0m, s = 0m;
        foreach (var a in Accounts.Values)
        {
            if (a.Positions.TryGetValue(instrumentId, out var p))
            {
                if (p.Size > 0m)
                {
                    l += p.Size;
                }
                else
                {
                    s -= p.Size;
                }
            }
        }

        return (l, s);
    }
}
