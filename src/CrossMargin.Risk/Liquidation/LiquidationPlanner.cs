using System.Collections.Immutable;
using CrossMargin.Risk.Events;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Liquidation;

/// <summary>
/// Sizes liquidation orders. Partial: positions with the largest MM first (ties by instrument id); each is cut by the
/// fewest lots that bring equity − fee to the exit level (liquidation-ratio·MM + exit-buffer·notional), found by
/// bisection over whole lots — sizes therefore round UP to the lot, and the bracket changes are handled exactly.
/// Strategy caps (fraction, notional per round) round DOWN and win over restoring. Because every MMR exceeds the fee
/// rate, cutting a position never lowers equity − exit level, so the search is monotone. Under portfolio margin a
/// hedge leg is the exception: the planner then cuts only as far as it helps (possibly not at all).
/// </summary>
public static class LiquidationPlanner
{
    /// <summary>
    /// Plans one round for <paramref name="account"/> given its <paramref name="previous"/> state. For an isolated
    /// account the account-level state is mapped to positions by <see cref="MarginEngine.PreviousByPosition"/> (only the
    /// positions in the worst raw state keep the hysteresis); prefer the overload with per-position states.
    /// </summary>
    public static LiquidationPlan Plan(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous)
    {
        var risk = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
        return Plan(account, catalog, prices, config, previous, MarginEngine.PreviousByPosition(risk, previous, config.Thresholds), risk);
    }

    /// <summary>
    /// Plans one round with per-position previous states for an isolated account (instrument id → state, missing =
    /// Healthy): each isolated position is judged, and cut, on its own margin and its own hysteresis, so one position
    /// being liquidated never pulls the others to the exit level. Cross and portfolio accounts use
    /// <paramref name="previous"/> and ignore the map.
    /// </summary>
    public static LiquidationPlan Plan(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous, IReadOnlyDictionary<string, RiskState> previousByPosition) =>
        Plan(account, catalog, prices, config, previous, previousByPosition, MarginEngine.Evaluate(account, catalog, prices, config.Portfolio));

    private static LiquidationPlan Plan(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous, IReadOnlyDictionary<string, RiskState> previousByPosition, AccountRisk risk)
    {
        var state = MarginEngine.State(risk, previous, previousByPosition, config.Thresholds);
        if (state < RiskState.Liquidating)
        {
            return LiquidationPlan.Nothing;
        }

        if (account.Mode == MarginMode.Isolated)
        {
            return PlanIsolated(account, catalog, prices, config, previousByPosition, risk);
        }

        if (state >= RiskState.Backstop)
        {
            return CloseOut(account, catalog, prices, config, account.Positions.Keys);
        }

        return PlanPartial(account, catalog, prices, config, risk.Positions.OrderByDescending(p => p.Maintenance).ThenBy(p => p.InstrumentId, StringComparer.Ordinal).Select(p => p.InstrumentId).ToList());
    }

    private static LiquidationPlan PlanPartial(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, List<string> order)
    {
        var orders = ImmutableArray.CreateBuilder<LiquidationOrder>();
        var budget = config.Strategy.MaxNotionalPerRound;
        var current = account;
        foreach (var id in order)
        {
            if (Reached(current, catalog, prices, config, id))
            {
                break;
            }

            var spec = catalog.Instrument(id);
            var pos = current.Positions[id];
            var mark = prices.Mark(id);
            var unitNotional = PositionMath.Notional(spec, spec.LotSize, mark) * prices.Price(spec.SettlementAsset);
            var maxLots = MaxLots(pos, spec, unitNotional, config.Strategy, budget);
            if (maxLots == 0)
            {
                continue;
            }

            var lots = MinLotsToExit(current, catalog, prices, config, id, maxLots);
            if (lots == 0)
            {
                continue; // a hedge leg under portfolio margin: cutting it would raise the requirement
            }

            var delta = -Math.Sign(pos.Size) * lots * spec.LotSize;
            var o = Order(current.Id, spec, delta, mark, prices, config);
            orders.Add(o);
            budget -= o.Notional;
            current = Close(current, catalog, o);
        }

        var after = MarginEngine.EvaluateTotals(current, catalog, prices, config.Portfolio);
        var exit = RiskStateMachine.ExitLevel(after.Maintenance, after.Notional, config.Thresholds);
        var restored = RiskStateMachine.AtExitLevel(after.Equity, after.Maintenance, after.Notional, config.Thresholds);
        return new LiquidationPlan(orders.Count == 0 ? LiquidationKind.None : LiquidationKind.Partial, orders.ToImmutable(), restored, after.Equity, exit, config.Strategy.Cooldown);
    }

    private static LiquidationPlan PlanIsolated(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, IReadOnlyDictionary<string, RiskState> previousByPosition, AccountRisk risk)
    {
        var orders = ImmutableArray.CreateBuilder<LiquidationOrder>();
        var current = account;
        var closeOut = false;
        foreach (var p in risk.Positions)
        {
            var s = MarginEngine.PositionState(p, previousByPosition, config.Thresholds);
            if (s < RiskState.Liquidating)
            {
                continue;
            }

            var spec = catalog.Instrument(p.InstrumentId);
            var pos = current.Positions[p.InstrumentId];
            long lots;
            if (s >= RiskState.Backstop)
            {
                closeOut = true;
                lots = (long)(Math.Abs(pos.Size) / spec.LotSize);
            }
            else
            {
                var unitNotional = PositionMath.Notional(spec, spec.LotSize, p.Mark) * prices.Price(spec.SettlementAsset);
                var maxLots = MaxLots(pos, spec, unitNotional, config.Strategy, config.Strategy.MaxNotionalPerRound);
                lots = maxLots == 0 ? 0 : MinLotsToExit(current, catalog, prices, config, p.InstrumentId, maxLots);
            }

            if (lots > 0)
            {
                var o = Order(account.Id, spec, -Math.Sign(pos.Size) * lots * spec.LotSize, p.Mark, prices, config);
                orders.Add(o);
                current = Close(current, catalog, o);
            }
        }

        var after = MarginEngine.Evaluate(current, catalog, prices);
        var restored = after.Positions.All(p => RiskStateMachine.AtExitLevel(p.IsolatedEquity ?? 0m, p.Maintenance, p.Notional, config.Thresholds));
        var kind = closeOut ? LiquidationKind.CloseOut : orders.Count == 0 ? LiquidationKind.None : LiquidationKind.Partial;
        return new LiquidationPlan(kind, orders.ToImmutable(), restored, after.Equity, 0m, config.Strategy.Cooldown);
    }

    /// <summary>Closes <paramref name="instruments"/> whole at their marks (Backstop/Bankrupt).</summary>
    public static LiquidationPlan CloseOut(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, IEnumerable<string> instruments)
    {
        var orders = instruments.Select(id => Order(account.Id, catalog.Instrument(id), -account.Positions[id].Size, prices.Mark(id), prices, config)).ToImmutableArray();
        var current = orders.Aggregate(account, (a, o) => Close(a, catalog, o));
        var after = MarginEngine.EvaluateTotals(current, catalog, prices, config.Portfolio);
        return new LiquidationPlan(LiquidationKind.CloseOut, orders, after.Equity >= 0m, after.Equity, 0m, TimeSpan.Zero);
    }

    private static decimal Excess(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config)
    {
        var r = MarginEngine.EvaluateTotals(account, catalog, prices, config.Portfolio);
        return r.Equity - RiskStateMachine.ExitLevel(r.Maintenance, r.Notional, config.Thresholds);
    }

    private static long MaxLots(Position pos, InstrumentSpec spec, decimal unitNotional, LiquidationStrategy s, decimal? budget)
    {
        var all = (long)(Math.Abs(pos.Size) / spec.LotSize);
        if (unitNotional * all < s.FullCloseBelowNotional)
        {
            return all;
        }

        var byFraction = (long)decimal.Floor(all * s.MaxFractionPerRound);
        var max = Math.Min(all, Math.Max(1, byFraction));
        if (budget is { } b)
        {
            max = Math.Min(max, (long)decimal.Floor(Math.Max(0m, b) / unitNotional));
        }

        return max;
    }

    /// <summary>
    /// Fewest lots (≤ <paramref name="maxLots"/>) that reach the exit level; if none does, the lot count that leaves
    /// the most excess (0 when cutting does not help). Excess is concave in the lots cut (MM is convex in size through
    /// rising bracket rates or a max over scenarios; equity falls linearly by the fee), so a search on the sign of
    /// the next lot's gain finds the best cut and, below it, excess rises monotonically.
    /// </summary>
    private static long MinLotsToExit(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, string id, long maxLots)
    {
        var spec = catalog.Instrument(id);
        var pos = account.Positions[id];
        var mark = prices.Mark(id);
        var cache = new Dictionary<long, Account>();
        Account After(long lots) => cache.TryGetValue(lots, out var a) ? a : cache[lots] =
            lots == 0 ? account : Close(account, catalog, Order(account.Id, spec, -Math.Sign(pos.Size) * lots * spec.LotSize, mark, prices, config));
        bool Ok(long lots) => Reached(After(lots), catalog, prices, config, id);

        if (Ok(maxLots))
        {
            // Excess is linear in the lots cut while the position stays in one bracket, so the line through 0 and
            // maxLots lands on (or next to) the answer; the search below then needs two checks instead of ~log2(maxLots).
            decimal Slack(Account a) => ExitSlack(a, catalog, prices, config, id);
            var (s0, s1) = (Slack(account), Slack(After(maxLots)));
            var guess = s0 < 0m && s1 > s0 ? (long)decimal.Ceiling(maxLots * (-s0 / (s1 - s0))) : 0L;
            return Smallest(0, maxLots, Ok, guess);
        }

        long lo = 0, hi = maxLots;
        while (lo < hi)
        {
            var mid = lo + ((hi - lo) / 2);
            if (Excess(After(mid + 1), catalog, prices, config) > Excess(After(mid), catalog, prices, config))
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return Ok(lo) ? Smallest(0, lo, Ok) : lo;
    }

    /// <summary>
    /// Smallest n in (lo, hi] with ok(n), given ok(hi) and ok monotone on [lo, hi]. A <paramref name="guess"/> inside
    /// (lo, hi) and its neighbour are checked first, which narrows the interval (to the answer itself when the guess is
    /// right); bisection finishes. The answer does not depend on the guess.
    /// </summary>
    private static long Smallest(long lo, long hi, Func<long, bool> ok, long guess = 0)
    {
        if (guess > lo && guess < hi)
        {
            if (ok(guess))
            {
                hi = guess;
                if (guess - 1 > lo)
                {
                    if (!ok(guess - 1))
                    {
                        return guess;
                    }

                    hi = guess - 1;
                }
            }
            else
            {
                lo = guess;
                if (guess + 1 < hi)
                {
                    if (ok(guess + 1))
                    {
                        return guess + 1;
                    }

                    lo = guess + 1;
                }
            }
        }

        while (hi - lo > 1)
        {
            var mid = lo + ((hi - lo) / 2);
            if (ok(mid))
            {
                hi = mid;
            }
            else
            {
                lo = mid;
            }
        }

        return hi;
    }

    /// <summary>Equity − exit level (of position <paramref name="id"/> for an isolated account): the quantity <see cref="Reached"/> needs non-negative.</summary>
    private static decimal ExitSlack(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, string id)
    {
        var r = MarginEngine.EvaluateTotals(account, catalog, prices, config.Portfolio);
        if (account.Mode == MarginMode.Isolated)
        {
            var p = r.Positions.FirstOrDefault(x => x.InstrumentId == id);
            return p is null ? 0m : (p.IsolatedEquity ?? 0m) - RiskStateMachine.ExitLevel(p.Maintenance, p.Notional, config.Thresholds);
        }

        return r.Equity - RiskStateMachine.ExitLevel(r.Maintenance, r.Notional, config.Thresholds);
    }

    private static bool Reached(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, string id)
    {
        var r = MarginEngine.EvaluateTotals(account, catalog, prices, config.Portfolio);
        if (account.Mode == MarginMode.Isolated)
        {
            var p = r.Positions.FirstOrDefault(x => x.InstrumentId == id);
            return p is null || RiskStateMachine.AtExitLevel(p.IsolatedEquity ?? 0m, p.Maintenance, p.Notional, config.Thresholds);
        }

        return RiskStateMachine.AtExitLevel(r.Equity, r.Maintenance, r.Notional, config.Thresholds);
    }

    private static LiquidationOrder Order(string accountId, InstrumentSpec spec, decimal delta, decimal mark, MarketPrices prices, RiskConfig config)
    {
        var settleNotional = PositionMath.Notional(spec, delta, mark);
        return new LiquidationOrder(accountId, spec.Id, delta, mark, settleNotional * prices.Price(spec.SettlementAsset), settleNotional * config.LiquidationFeeRate);
    }

    private static Account Close(Account account, RiskCatalog catalog, LiquidationOrder o) =>
        AccountFold.Apply(account, new PositionFilled(o.InstrumentId, o.SizeDelta, o.ReferencePrice, o.ExpectedFee), catalog);
}
