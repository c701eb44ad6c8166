using System.Collections.Immutable;
using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Waterfall;

/// <summary>
/// Close-out and loss waterfall for one account (cross/portfolio) or one isolated position:
/// (1) close at the mark and use the account's collateral (non-settlement collateral is seized at its haircut value);
/// a positive remainder pays the liquidation fee; (2) the insurance fund covers the deficit up to its per-event share;
/// (3) if a deficit remains, ADL: the bankrupt positions are closed against ranked opposite positions, each charged
/// its share of the deficit per unit matched (equivalent to filling at the bankruptcy price); otherwise the backstop
/// account takes the positions at the mark; (4) socialized loss pro-rata to positive equity; (5) anything left is
/// <see cref="WaterfallResult.Unassigned"/>.
/// </summary>
public static class LossWaterfall
{
    /// <summary>
    /// Resolves <paramref name="accountId"/>. For an isolated account pass <paramref name="isolatedInstrument"/>: only
    /// that position's margin is at stake; the pool and other positions are untouched.
    /// </summary>
    public static WaterfallResult Resolve(Book book, RiskCatalog catalog, MarketPrices prices, RiskConfig config, string accountId, string? isolatedInstrument = null)
    {
        var w = config.Waterfall;
        var account = book.Account(accountId);
        var isolated = account.Mode == MarginMode.Isolated;
        if (isolated && isolatedInstrument is null)
        {
            throw new RiskInputException("isolated-instrument", "null", $"account {accountId} is isolated: resolve one position at a time");
        }

        var slot = isolated ? isolatedInstrument : null;
        var instruments = isolated
            ? (account.Positions.TryGetValue(isolatedInstrument!, out var ip) && ip.Size != 0m ? [isolatedInstrument!] : new List<string>())
            : account.Positions.Where(p => p.Value.Size != 0m).Select(p => p.Key).ToList();
        var notional = instruments.ToDictionary(i => i, i => PositionMath.Notional(catalog.Instrument(i), account.Positions[i].Size, prices.Mark(i)));
        var sizes = instruments.ToDictionary(i => i, i => account.Positions[i].Size);

        // (1) Hypothetical close at the mark tells what is left; seize other collateral only if the settlement side is short.
        var probe = instruments.Aggregate(account, (a, i) => Events.AccountFold.Apply(a, new Events.PositionFilled(i, -a.Positions[i].Size, prices.Mark(i), 0m), catalog));
        var seized = 0m;
        if (!isolated && probe.Balance(book.SettlementAsset) < 0m)
        {
            (book, seized) = Seize(book, catalog, prices, accountId);
        }

        var remainder = isolated ? IsolatedRemainder(account, probe, isolatedInstrument!, book.SettlementAsset) : probe.Balance(book.SettlementAsset) + seized;
        var fee = Math.Min(config.LiquidationFeeRate * notional.Values.Sum(), Math.Max(0m, remainder));
        var deficit = Math.Max(0m, -remainder);

        // (2) Insurance fund share; (3) ADL only if something is left after it.
        var insurance = w.UseInsuranceFund ? Math.Min(deficit, book.InsuranceFund * w.InsuranceMaxShare) : 0m;
        var adlNeed = deficit - insurance;
        var useAdl = w.UseAdl && adlNeed > 0m;
        var fills = ImmutableArray.CreateBuilder<AdlFill>();
        var adlCharged = 0m;
        var totalNotional = notional.Values.Sum();
        var shareLeft = adlNeed;
        for (var k = 0; k < instruments.Count; k++)
        {
            var i = instruments[k];
            var share = k == instruments.Count - 1 ? shareLeft : Down(adlNeed * notional[i] / totalNotional, w.MoneyDecimals);
            shareLeft -= share;
            if (useAdl)
            {
                (book, var charged) = Deleverage(book, catalog, prices, config, accountId, slot, i, sizes[i], share, fills);
                adlCharged += charged;
            }
            else
            {
                book = BookOps.Trade(book, catalog, accountId, w.BackstopAccountId, i, -sizes[i], prices.Mark(i), 0m, w.FeeToInsuranceShare);
            }
        }

        if (fee > 0m)
        {
            book = BookOps.PayFee(book, catalog, accountId, slot, fee, w.FeeToInsuranceShare);
        }

        if (insurance > 0m)
        {
            book = BookOps.InsurancePays(book, catalog, accountId, slot, insurance);
        }

        // (4) Socialized loss over accounts with positive equity.
        var rest = deficit - insurance - adlCharged;
        var socialized = 0m;
        if (rest > 0m && w.UseSocializedLoss)
        {
            (book, socialized) = Socialize(book, catalog, prices, config, accountId, slot, rest);
        }

        return new WaterfallResult(book, deficit, seized, fee, insurance, fills.ToImmutable(), adlCharged, socialized, rest - socialized);
    }

    private static decimal IsolatedRemainder(Account before, Account probe, string instrument, string settlement) =>
        probe.Positions.TryGetValue(instrument, out var p) ? p.IsolatedMargin : probe.Balance(settlement) - before.Balance(settlement);

    private static (Book, decimal) Seize(Book book, RiskCatalog catalog, MarketPrices prices, string accountId)
    {
        var account = book.Account(accountId);
        var ps = prices.Price(book.SettlementAsset);
        var credited = 0m;
        var discount = 0m;
        var seizedMap = book.SeizedCollateral;
        foreach (var (asset, amount) in account.Balances)
        {
            if (asset == book.SettlementAsset || amount <= 0m)
            {
                continue;
            }

            // Sold at market value: the account gets the haircut value, the fund the discount (market − haircut value).
            var market = amount * prices.Price(asset) / ps;
            var value = catalog.Asset(asset).Haircut.Weighted(amount * prices.Price(asset)) / ps;
            seizedMap = seizedMap.SetItem(asset, (seizedMap.TryGetValue(asset, out var s) ? s : 0m) + amount);
            account = account.WithBalance(asset, 0m);
            account = account.WithBalance(book.SettlementAsset, account.Balance(book.SettlementAsset) + value);
            discount += market - value;
            credited += value;
        }

        return (book.With(account) with { SeizedCollateral = seizedMap, InsuranceFund = book.InsuranceFund + discount }, credited);
    }

    private static (Book, decimal) Deleverage(Book book, RiskCatalog catalog, MarketPrices prices, RiskConfig config, string accountId, string? slot, string instrument, decimal size, decimal share, ImmutableArray<AdlFill>.Builder fills)
    {
        var w = config.Waterfall;
        var mark = prices.Mark(instrument);
        var matches = AdlSelector.Select(book, catalog, prices, instrument, size, accountId, w.Ranking, config.Portfolio);
        var left = share;
        var matchedTotal = 0m;
        var charged = 0m;
        for (var k = 0; k < matches.Length; k++)
        {
            var m = matches[k];
            var takerDelta = -Math.Sign(size) * m.Matched;
            // Capacity before the trade: a trade at the mark leaves a cross account's equity unchanged, but may flatten an
            // isolated position and move its margin to the pool.
            var capacity = Capacity(book.Account(m.AccountId), catalog, prices, instrument, book.SettlementAsset);
            book = BookOps.Trade(book, catalog, accountId, m.AccountId, instrument, takerDelta, mark, 0m, w.FeeToInsuranceShare);
            matchedTotal += m.Matched;
            var due = matchedTotal == Math.Abs(size) ? left : Math.Min(left, Down(share * m.Matched / Math.Abs(size), w.MoneyDecimals));
            var charge = Math.Max(0m, Math.Min(due, capacity));
            if (charge > 0m)
            {
                var cp = book.Account(m.AccountId);
                var cpSlot = cp.Mode == MarginMode.Isolated && cp.Positions.ContainsKey(instrument) ? instrument : null;
                book = BookOps.Transfer(book, catalog, m.AccountId, cpSlot, accountId, slot, charge, "adl");
            }

            left -= charge;
            charged += charge;
            fills.Add(new AdlFill(m.AccountId, instrument, -takerDelta, mark, charge, m.Rank));
        }

        var unmatched = Math.Abs(size) - matchedTotal;
        if (unmatched > 0m)
        {
            book = BookOps.Trade(book, catalog, accountId, w.BackstopAccountId, instrument, -Math.Sign(size) * unmatched, mark, 0m, w.FeeToInsuranceShare);
        }

        return (book, charged);
    }

    /// <summary>What a counterparty can pay without going negative: its equity (cross) or the position's equity (isolated).</summary>
    private static decimal Capacity(Account a, RiskCatalog catalog, MarketPrices prices, string instrument, string settlement)
    {
        if (a.Mode == MarginMode.Isolated)
        {
            if (!a.Positions.TryGetValue(instrument, out var p))
            {
                return 0m;
            }

            return p.IsolatedMargin + PositionMath.UnrealizedPnl(catalog.Instrument(instrument), p, prices.Mark(instrument));
        }

        return Math.Max(0m, MarginEngine.CrossEquity(a, catalog, prices.Mark, prices.Price) / prices.Price(settlement));
    }

    private static (Book, decimal) Socialize(Book book, RiskCatalog catalog, MarketPrices prices, RiskConfig config, string accountId, string? slot, decimal amount)
    {
        var payers = book.Accounts.Values
            .Where(a => a.Id != accountId && a.Mode != MarginMode.Isolated)
            .Select(a => (a.Id, Cap: Capacity(a, catalog, prices, string.Empty, book.SettlementAsset)))
            .Where(x => x.Cap > 0m)
            .ToList();
        var total = payers.Sum(p => p.Cap);
        if (total == 0m)
        {
            return (book, 0m);
        }

        var target = Math.Min(amount, total);
        var paid = 0m;
        var due = payers.Select(p => Math.Min(p.Cap, Down(target * p.Cap / total, config.Waterfall.MoneyDecimals))).ToArray();
        var left = target - due.Sum();
        for (var k = 0; k < payers.Count && left > 0m; k++)
        {
            var extra = Math.Min(left, payers[k].Cap - due[k]);
            due[k] += extra;
            left -= extra;
        }

        for (var k = 0; k < payers.Count; k++)
        {
            if (due[k] > 0m)
            {
                book = BookOps.Transfer(book, catalog, payers[k].Id, null, accountId, slot, due[k], "socialized");
                paid += due[k];
            }
        }

        return (book, paid);
    }

    private static decimal Down(decimal value, int decimals) => decimal.Round(value, decimals, MidpointRounding.ToZero);
}
