using System.Collections.Immutable;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using CrossMargin.Risk.Waterfall;

namespace CrossMargin.Risk.Liquidation;

/// <summary>Outcome of <see cref="LiquidationRunner.Run"/>.</summary>
/// <param name="Book">Book after.</param>
/// <param name="FinalState">Account state after (with hysteresis).</param>
/// <param name="Rounds">Partial rounds executed.</param>
/// <param name="Executed">Partial orders executed, in order.</param>
/// <param name="Waterfalls">Close-outs run (one per account, or per isolated position).</param>
public sealed record LiquidationRun(Book Book, RiskState FinalState, int Rounds, ImmutableArray<LiquidationOrder> Executed, ImmutableArray<WaterfallResult> Waterfalls);

/// <summary>
/// Runs liquidation of one account to completion at fixed prices: partial rounds (filled at the reference mark
/// against <c>counterpartyId</c>) until the exit level is reached, or a close-out plus loss waterfall. Rounds run back
/// to back: the strategy's cooldown is the engine's business (it owns the clock). For what-if runs and tests; the
/// engine can equally call <see cref="LiquidationPlanner"/>, <see cref="BookOps.Liquidate"/> and
/// <see cref="LossWaterfall.Resolve"/> itself.
/// </summary>
public static class LiquidationRunner
{
    /// <summary>Liquidates <paramref name="accountId"/> in <paramref name="book"/> at <paramref name="prices"/>.</summary>
    public static LiquidationRun Run(Book book, RiskCatalog catalog, MarketPrices prices, RiskConfig config, string accountId, RiskState previous, string counterpartyId, int maxRounds = 1000)
    {
        var executed = ImmutableArray.CreateBuilder<LiquidationOrder>();
        var waterfalls = ImmutableArray.CreateBuilder<WaterfallResult>();
        var state = previous;
        var rounds = 0;
        while (rounds < maxRounds)
        {
            var account = book.Account(accountId);
            var risk = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
            state = MarginEngine.State(risk, state, config.Thresholds);
            if (state < RiskState.Liquidating)
            {
                break;
            }

            if (account.Mode == MarginMode.Isolated)
            {
                var closeOuts = risk.Positions
                    .Where(p => p.Size == 0m
                        ? p.IsolatedEquity < 0m // a flat position left with bad debt
                        : RiskStateMachine.Raw(p.IsolatedEquity ?? 0m, p.Maintenance, config.Thresholds) >= RiskState.Backstop)
                    .Select(p => p.InstrumentId).ToList();
                var stuck = false;
                foreach (var id in closeOuts)
                {
                    var r = LossWaterfall.Resolve(book, catalog, prices, config, accountId, id);
                    waterfalls.Add(r);
                    book = r.Book;
                    stuck |= r.Unassigned > 0m; // bad debt nobody could absorb stays on the flat position
                }

                if (stuck)
                {
                    state = RiskState.Bankrupt;
                    break;
                }

                if (closeOuts.Count > 0)
                {
                    rounds++;
                    continue;
                }
            }

            var plan = LiquidationPlanner.Plan(account, catalog, prices, config, state);
            if (plan.Kind == LiquidationKind.CloseOut && account.Mode != MarginMode.Isolated)
            {
                var r = LossWaterfall.Resolve(book, catalog, prices, config, accountId);
                waterfalls.Add(r);
                book = r.Book;
                state = MarginEngine.State(MarginEngine.Evaluate(book.Account(accountId), catalog, prices, config.Portfolio), RiskState.Healthy, config.Thresholds);
                break;
            }

            if (plan.Orders.Length == 0)
            {
                break;
            }

            foreach (var o in plan.Orders)
            {
                book = BookOps.Liquidate(book, catalog, config, o, counterpartyId, o.ReferencePrice);
                executed.Add(o);
            }

            rounds++;
        }

        return new LiquidationRun(book, state, rounds, executed.ToImmutable(), waterfalls.ToImmutable());
    }
}
