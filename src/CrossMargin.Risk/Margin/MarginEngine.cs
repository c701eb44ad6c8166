using System.Collections.Immutable;
using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Margin;

/// <summary>
/// Full (non-incremental) valuation of an immutable <see cref="Account"/>. Pure and thread-safe; the reference the
/// incremental <see cref="MarginCalculator"/> is tested against. Iterates sorted maps, so results do not depend on the
/// order positions or balances were added.
/// </summary>
public static class MarginEngine
{
    /// <summary>Values <paramref name="account"/> at <paramref name="prices"/>; <paramref name="portfolio"/> is required in portfolio mode.</summary>
    public static AccountRisk Evaluate(Account account, RiskCatalog catalog, MarketPrices prices, PortfolioMarginConfig? portfolio = null)
    {
        var source = new SnapshotPrices(prices);
        var collateral = CollateralValue(account, catalog, source);
        var builder = ImmutableArray.CreateBuilder<PositionRisk>(account.Positions.Count);
        decimal upnl = 0m, mm = 0m, im = 0m, notional = 0m, isolatedEquity = 0m;
        foreach (var (id, pos) in account.Positions)
        {
            var r = PositionTerms(catalog.Instrument(id), pos, prices.Mark(id), prices.Price(catalog.Instrument(id).SettlementAsset), account.Mode);
            builder.Add(r);
            upnl += r.UnrealizedPnl;
            mm += r.Maintenance;
            im += r.Initial;
            notional += r.Notional;
            isolatedEquity += Math.Max(0m, r.IsolatedEquity ?? 0m);
        }

        switch (account.Mode)
        {
            case MarginMode.Isolated:
                return new AccountRisk(account.Mode, collateral, upnl, collateral + isolatedEquity, mm, im, notional, builder.MoveToImmutable());
            case MarginMode.Portfolio:
                var cfg = portfolio ?? throw new RiskInputException("portfolio", "null", $"account {account.Id} is in portfolio mode but no portfolio config was given");
                var pm = PortfolioMargin.Compute(account, catalog, prices, cfg);
                return new AccountRisk(account.Mode, collateral, upnl, CrossEquity(account, catalog, source), pm.Maintenance, pm.Initial, notional, builder.MoveToImmutable());
            default:
                return new AccountRisk(account.Mode, collateral, upnl, CrossEquity(account, catalog, source), mm, im, notional, builder.MoveToImmutable());
        }
    }

    /// <summary>
    /// As <see cref="Evaluate"/>, with the same totals, but for cross and portfolio accounts without the per-position
    /// terms (<see cref="AccountRisk.Positions"/> is empty): what classifying the account and its bands need, without a
    /// record per position (the re-margin's largest allocation). Isolated accounts get the full valuation: their state
    /// and bands are per position.
    /// </summary>
    public static AccountRisk EvaluateTotals(Account account, RiskCatalog catalog, MarketPrices prices, PortfolioMarginConfig? portfolio = null)
    {
        if (account.Mode == MarginMode.Isolated)
        {
            return Evaluate(account, catalog, prices, portfolio);
        }

        var source = new SnapshotPrices(prices);
        var collateral = CollateralValue(account, catalog, source);
        decimal upnl = 0m, mm = 0m, im = 0m, notional = 0m;
        foreach (var (id, pos) in account.Positions)
        {
            // The same operations as PositionTerms, in the same order, so the sums equal Evaluate's.
            var spec = catalog.Instrument(id);
            var mark = prices.Mark(id);
            var ps = prices.Price(spec.SettlementAsset);
            var req = pos.Size == 0m ? default : PositionMath.Requirement(spec, pos.Size, mark);
            upnl += PositionMath.UnrealizedPnl(spec, pos, mark) * ps;
            mm += req.Maintenance * ps;
            im += req.Initial * ps;
            notional += PositionMath.Notional(spec, pos.Size, mark) * ps;
        }

        var equity = CrossEquity(account, catalog, source);
        if (account.Mode == MarginMode.Portfolio)
        {
            var cfg = portfolio ?? throw new RiskInputException("portfolio", "null", $"account {account.Id} is in portfolio mode but no portfolio config was given");
            var pm = PortfolioMargin.Compute(account, catalog, prices, cfg);
            return new AccountRisk(account.Mode, collateral, upnl, equity, pm.Maintenance, pm.Initial, notional, ImmutableArray<PositionRisk>.Empty);
        }

        return new AccountRisk(account.Mode, collateral, upnl, equity, mm, im, notional, ImmutableArray<PositionRisk>.Empty);
    }

    /// <summary>
    /// Account risk state with hysteresis from <paramref name="previous"/>. Isolated accounts take the worst state of
    /// their positions (each judged on its own margin), or Bankrupt if the pool itself is negative. For an isolated
    /// account one account-level <paramref name="previous"/> cannot say which position was being liquidated, so it is
    /// applied only to the positions in the worst raw state, and only when that state is worse than Healthy (see
    /// <see cref="PreviousByPosition"/>); a healthy position never inherits another's Liquidating. Exact per-position
    /// hysteresis needs <see cref="State(AccountRisk, RiskState, IReadOnlyDictionary{string, RiskState}, RiskThresholds)"/>.
    /// </summary>
    public static RiskState State(AccountRisk risk, RiskState previous, RiskThresholds thresholds) =>
        risk.Mode != MarginMode.Isolated
            ? RiskStateMachine.Classify(risk.Equity, risk.Maintenance, risk.Notional, previous, thresholds)
            : State(risk, previous, PreviousByPosition(risk, previous, thresholds), thresholds);

    /// <summary>
    /// Account risk state with per-position hysteresis for isolated accounts: each position is classified with its own
    /// previous state from <paramref name="previousByPosition"/> (instrument id → state; a missing id counts as
    /// Healthy). Cross and portfolio accounts use <paramref name="previous"/> and ignore the map.
    /// </summary>
    public static RiskState State(AccountRisk risk, RiskState previous, IReadOnlyDictionary<string, RiskState> previousByPosition, RiskThresholds thresholds)
    {
        if (risk.Mode != MarginMode.Isolated)
        {
            return RiskStateMachine.Classify(risk.Equity, risk.Maintenance, risk.Notional, previous, thresholds);
        }

        var worst = risk.CollateralValue < 0m ? RiskState.Bankrupt : RiskState.Healthy;
        foreach (var p in risk.Positions)
        {
            var s = PositionState(p, previousByPosition, thresholds);
            worst = s > worst ? s : worst;
        }

        return worst;
    }

    /// <summary>
    /// State of every isolated position (instrument id → state) with its own previous state from
    /// <paramref name="previousByPosition"/> (missing = Healthy). Feed the result back as the next call's map to keep
    /// hysteresis per position. Empty for cross and portfolio accounts.
    /// </summary>
    public static ImmutableSortedDictionary<string, RiskState> PositionStates(AccountRisk risk, IReadOnlyDictionary<string, RiskState> previousByPosition, RiskThresholds thresholds)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, RiskState>(StringComparer.Ordinal);
        if (risk.Mode == MarginMode.Isolated)
        {
            foreach (var p in risk.Positions)
            {
                builder[p.InstrumentId] = PositionState(p, previousByPosition, thresholds);
            }
        }

        return builder.ToImmutable();
    }

    /// <summary>
    /// The per-position previous states implied by one account-level <paramref name="previous"/> for an isolated
    /// account: <paramref name="previous"/> for the positions whose raw state (no hysteresis) equals the worst raw
    /// state among the positions, when that worst is worse than Healthy; Healthy for every other position. The rule
    /// depends only on raw states, so it is stable inside risk bands. Empty for cross and portfolio accounts.
    /// </summary>
    public static ImmutableSortedDictionary<string, RiskState> PreviousByPosition(AccountRisk risk, RiskState previous, RiskThresholds thresholds)
    {
        var builder = ImmutableSortedDictionary.CreateBuilder<string, RiskState>(StringComparer.Ordinal);
        if (risk.Mode != MarginMode.Isolated)
        {
            return builder.ToImmutable();
        }

        var worstRaw = RiskState.Healthy;
        foreach (var p in risk.Positions)
        {
            var raw = RiskStateMachine.Raw(p.IsolatedEquity ?? 0m, p.Maintenance, thresholds);
            worstRaw = raw > worstRaw ? raw : worstRaw;
        }

        foreach (var p in risk.Positions)
        {
            var raw = RiskStateMachine.Raw(p.IsolatedEquity ?? 0m, p.Maintenance, thresholds);
            builder[p.InstrumentId] = worstRaw > RiskState.Healthy && raw == worstRaw ? previous : RiskState.Healthy;
        }

        return builder.ToImmutable();
    }

    /// <summary>State of one isolated position given the previous states by instrument (missing = Healthy).</summary>
    public static RiskState PositionState(PositionRisk position, IReadOnlyDictionary<string, RiskState> previousByPosition, RiskThresholds thresholds)
    {
        var prev = previousByPosition.TryGetValue(position.InstrumentId, out var s) ? s : RiskState.Healthy;
        return RiskStateMachine.Classify(position.IsolatedEquity ?? 0m, position.Maintenance, position.Notional, prev, thresholds);
    }

    /// <summary>Σ haircut-weighted pool balances (valuation asset); zero balances are skipped.</summary>
    public static decimal CollateralValue(Account account, RiskCatalog catalog, Func<string, decimal> price) =>
        CollateralValue(account, catalog, new FuncPrices(null, price));

    /// <summary>Σ haircut-weighted pool balances at <paramref name="prices"/> (see the overload taking a price function).</summary>
    public static decimal CollateralValue(Account account, RiskCatalog catalog, MarketPrices prices) =>
        CollateralValue(account, catalog, new SnapshotPrices(prices));

    private static decimal CollateralValue<TPrices>(Account account, RiskCatalog catalog, TPrices prices)
        where TPrices : struct, IPriceSource
    {
        var total = 0m;
        foreach (var (asset, balance) in account.Balances)
        {
            if (balance != 0m)
            {
                total += catalog.Asset(asset).Haircut.Weighted(balance * prices.Price(asset));
            }
        }

        return total;
    }

    /// <summary>
    /// Cross/portfolio equity at arbitrary prices: Σ over assets of haircut(net amount × price), where an asset's net
    /// amount is its balance plus the uPnL of the positions settled in it. uPnL is thus valued like the asset it will
    /// be paid in, so closing a position at the mark never changes equity (with a haircut below 1, Σ haircut·balance
    /// + Σ uPnL would). For a 100% asset such as USDT this is exactly balance + uPnL.
    /// </summary>
    public static decimal CrossEquity(Account account, RiskCatalog catalog, Func<string, decimal> mark, Func<string, decimal> price) =>
        CrossEquity(account, catalog, new FuncPrices(mark, price));

    // Generic over a struct price source so the MarketPrices path allocates no delegates (the JIT specializes it).
    private static decimal CrossEquity<TPrices>(Account account, RiskCatalog catalog, TPrices prices)
        where TPrices : struct, IPriceSource
    {
        // Net amount per asset, kept in ordinal order of the asset id (an account holds a handful of assets, so a small
        // sorted array beats a per-call sorted map; the sums are the same operations in the same order).
        var capacity = account.Balances.Count + account.Positions.Count;
        if (scratchAssets is null || scratchAssets.Length < capacity)
        {
            (scratchAssets, scratchNet) = (new string[Math.Max(capacity, 8)], new decimal[Math.Max(capacity, 8)]);
        }

        var (assets, net) = (scratchAssets, scratchNet!);
        var count = 0;
        foreach (var (asset, balance) in account.Balances)
        {
            (assets[count], net[count]) = (asset, balance);
            count++;
        }

        if (!ReferenceEquals(account.Balances.KeyComparer, StringComparer.Ordinal))
        {
            Array.Sort(assets, net, 0, count, StringComparer.Ordinal); // an account built with another key order
        }

        foreach (var (id, pos) in account.Positions)
        {
            var spec = catalog.Instrument(id);
            var upnl = PositionMath.UnrealizedPnl(spec, pos, prices.Mark(id));
            var at = Find(assets, count, spec.SettlementAsset);
            if (at >= 0)
            {
                net[at] += upnl;
            }
            else
            {
                at = ~at;
                for (var k = count; k > at; k--)
                {
                    (assets[k], net[k]) = (assets[k - 1], net[k - 1]);
                }

                (assets[at], net[at]) = (spec.SettlementAsset, 0m + upnl);
                count++;
            }
        }

        var total = 0m;
        for (var k = 0; k < count; k++)
        {
            if (net[k] != 0m)
            {
                total += catalog.Asset(assets[k]).Haircut.Weighted(net[k] * prices.Price(assets[k]));
            }
        }

        return total;
    }

    // CrossEquity's working arrays, one pair per thread (it is called for every valuation; it does not call itself).
    [ThreadStatic]
    private static string[]? scratchAssets;

    [ThreadStatic]
    private static decimal[]? scratchNet;

    /// <summary>Index of <paramref name="asset"/> among the first <paramref name="count"/> (ordinal order), or the complement of where it belongs.</summary>
    private static int Find(string[] assets, int count, string asset)
    {
        for (var k = 0; k < count; k++)
        {
            var c = string.CompareOrdinal(assets[k], asset);
            if (c == 0)
            {
                return k;
            }

            if (c > 0)
            {
                return ~k;
            }
        }

        return ~count;
    }

    /// <summary>Terms of one position (valuation asset).</summary>
    public static PositionRisk PositionTerms(InstrumentSpec spec, Position pos, decimal mark, decimal settlementPrice, MarginMode mode)
    {
        var u = PositionMath.UnrealizedPnl(spec, pos, mark);
        var req = pos.Size == 0m ? default : PositionMath.Requirement(spec, pos.Size, mark);
        decimal? iso = mode == MarginMode.Isolated ? (pos.IsolatedMargin + u) * settlementPrice : null;
        return new PositionRisk(pos.InstrumentId, pos.Size, mark, PositionMath.Notional(spec, pos.Size, mark) * settlementPrice,
            u * settlementPrice, req.Maintenance * settlementPrice, req.Initial * settlementPrice, req.MaintenanceRate, req.Bracket, iso);
    }

    /// <summary>Where a valuation reads marks and prices.</summary>
    private interface IPriceSource
    {
        decimal Mark(string instrumentId);

        decimal Price(string asset);
    }

    private readonly struct SnapshotPrices(MarketPrices prices) : IPriceSource
    {
        public decimal Mark(string instrumentId) => prices.Mark(instrumentId);

        public decimal Price(string asset) => prices.Price(asset);
    }

    private readonly struct FuncPrices(Func<string, decimal>? mark, Func<string, decimal> price) : IPriceSource
    {
        public decimal Mark(string instrumentId) => mark!(instrumentId);

        public decimal Price(string asset) => price(asset);
    }
}
