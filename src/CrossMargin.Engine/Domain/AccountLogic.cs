using System.Collections.Immutable;
using System.Globalization;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Risk.Bands;
using CrossMargin.Risk.Events;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using AccountEvent = CrossMargin.Engine.Domain.Events.AccountEvent;

namespace CrossMargin.Engine.Domain;

/// <summary>The outcome of <see cref="AccountLogic.Decide"/>: events to persist and apply, then the reply.</summary>
/// <param name="Events">Events in order (empty when refused).</param>
/// <param name="Reply">The reply to send.</param>
public sealed record AccountDecision(IReadOnlyList<AccountEvent> Events, CommandReply Reply);

/// <summary>
/// The account state machine: <see cref="Decide"/> turns a command into events or a refusal; <see cref="Apply"/> folds
/// an event; <see cref="Remargin"/> classifies the account at current prices and computes its bands. Pure.
/// </summary>
public static class AccountLogic
{
    /// <summary>Decides <paramref name="command"/> on <paramref name="state"/> at <paramref name="prices"/>.</summary>
    public static AccountDecision Decide(EngineAccount state, AccountCommand command, EngineModel model, MarketPrices prices)
    {
        if (command.AccountId != state.Id)
        {
            return Refuse(command, $"command for account {command.AccountId} reached account {state.Id}");
        }

        return command switch
        {
            Deposit d => DecideDeposit(d, model),
            Withdraw w => DecideWithdraw(state, w, model, prices),
            PlaceTrade t => DecideTrade(state, t, model, prices),
            _ => Refuse(command, $"unknown command {command.GetType().Name}"),
        };
    }

    private static AccountDecision DecideDeposit(Deposit d, EngineModel model)
    {
        if (!model.Catalog.Assets.ContainsKey(d.Asset))
        {
            return Refuse(d, $"unknown asset '{d.Asset}'");
        }

        return d.Amount <= 0m ? Refuse(d, $"deposit amount must be positive, got {Text(d.Amount)}") : Accept(d, new Deposited(d.CommandId, d.Asset, d.Amount));
    }

    private static AccountDecision DecideWithdraw(EngineAccount state, Withdraw w, EngineModel model, MarketPrices prices)
    {
        if (!model.Catalog.Assets.ContainsKey(w.Asset))
        {
            return Refuse(w, $"unknown asset '{w.Asset}'");
        }

        if (w.Amount <= 0m)
        {
            return Refuse(w, $"withdrawal amount must be positive, got {Text(w.Amount)}");
        }

        var balance = state.Account.Balance(w.Asset);
        if (w.Amount > balance)
        {
            return Refuse(w, $"insufficient balance: {Text(balance)} {w.Asset} available, {Text(w.Amount)} requested");
        }

        var e = new Withdrawn(w.CommandId, w.Asset, w.Amount);
        var after = Apply(state, e, model);
        if (after.HasPositions)
        {
            var risk = MarginEngine.Evaluate(after.Account, model.Catalog, prices, model.Risk.Portfolio);
            if (risk.AvailableMargin < 0m)
            {
                return Refuse(w, $"withdrawal would breach initial margin: equity {Text(risk.Equity)} < initial margin {Text(risk.Initial)} after withdrawing {Text(w.Amount)} {w.Asset}");
            }
        }

        return Accept(w, e);
    }

    private static AccountDecision DecideTrade(EngineAccount state, PlaceTrade t, EngineModel model, MarketPrices prices)
    {
        if (!model.Catalog.Instruments.TryGetValue(t.Instrument, out var spec))
        {
            return Refuse(t, $"unknown instrument '{t.Instrument}'");
        }

        if (t.SizeDelta == 0m || t.SizeDelta % spec.LotSize != 0m)
        {
            return Refuse(t, $"size {Text(t.SizeDelta)} is not a non-zero multiple of the lot size {Text(spec.LotSize)}");
        }

        if (t.Price <= 0m)
        {
            return Refuse(t, $"price must be positive, got {Text(t.Price)}");
        }

        if (t.Counterparty == t.AccountId)
        {
            return Refuse(t, "an account cannot trade with itself");
        }

        var old = state.Account.Positions.TryGetValue(t.Instrument, out var p) ? p.Size : 0m;
        var increases = Math.Abs(old + t.SizeDelta) > Math.Abs(old);
        if (increases && state.State >= RiskState.ReduceOnly)
        {
            return Refuse(t, $"account is {state.State}: only risk-reducing trades are accepted");
        }

        var events = new List<AccountEvent>(2);
        var after = state;
        if (t.IsolatedMargin != 0m)
        {
            if (state.Account.Mode != MarginMode.Isolated)
            {
                return Refuse(t, "isolated margin given for an account not in isolated mode");
            }

            var move = new IsolatedMarginMoved(t.CommandId, t.Instrument, t.IsolatedMargin);
            try
            {
                after = Apply(after, move, model);
            }
            catch (CrossMargin.Risk.Errors.RiskInputException e)
            {
                // Refuse before anything is persisted: the fold refuses a move that would leave the pool negative.
                return Refuse(t, e.Message);
            }

            events.Add(move);
        }

        var fill = new TradeFilled(t.CommandId, t.Instrument, t.SizeDelta, t.Price, 0m, t.Counterparty);
        events.Add(fill);
        after = Apply(after, fill, model);
        if (increases)
        {
            var risk = MarginEngine.Evaluate(after.Account, model.Catalog, prices, model.Risk.Portfolio);
            var shortfall = after.Account.Mode == MarginMode.Isolated ? IsolatedShortfall(risk) : risk.Equity - risk.Initial;
            if (shortfall < 0m || (after.Account.Mode == MarginMode.Isolated && risk.CollateralValue < 0m))
            {
                return Refuse(t, $"insufficient initial margin: after the trade equity {Text(risk.Equity)} < initial margin {Text(risk.Initial)}");
            }
        }

        return new AccountDecision(events, CommandReply.Accept(t));
    }

    private static decimal IsolatedShortfall(AccountRisk risk)
    {
        var worst = 0m;
        foreach (var p in risk.Positions)
        {
            worst = Math.Min(worst, (p.IsolatedEquity ?? 0m) - p.Initial);
        }

        return worst;
    }

    /// <summary>Folds <paramref name="e"/> into <paramref name="state"/>.</summary>
    public static EngineAccount Apply(EngineAccount state, AccountEvent e, EngineModel model) => e switch
    {
        Deposited d => state with { Account = AccountFold.Apply(state.Account, new CollateralDeposited(d.Asset, d.Amount), model.Catalog) },
        Withdrawn w => state with { Account = AccountFold.Apply(state.Account, new CollateralWithdrawn(w.Asset, w.Amount), model.Catalog) },
        IsolatedMarginMoved m => state with { Account = AccountFold.Apply(state.Account, new IsolatedMarginAssigned(m.Instrument, m.Amount), model.Catalog) },
        TradeFilled f => state with { Account = AccountFold.Apply(state.Account, new PositionFilled(f.Instrument, f.SizeDelta, f.Price, f.Fee), model.Catalog) },
        LiquidationFilled f => state with { Account = AccountFold.Apply(state.Account, new PositionFilled(f.Instrument, f.SizeDelta, f.Price, f.Fee), model.Catalog) },
        RiskStateChanged s => state with { State = s.To },
        WaterfallSettled w => state with { Account = Settle(state.Account, w) },
        _ => throw new ArgumentException($"unknown account event {e.GetType().Name}", nameof(e)),
    };

    private static Account Settle(Account account, WaterfallSettled w) => account with
    {
        Balances = w.Balances.ToImmutableSortedDictionary(b => b.Asset, b => b.Amount, StringComparer.Ordinal),
        Positions = w.Positions.ToImmutableSortedDictionary(p => p.InstrumentId, p => p, StringComparer.Ordinal),
    };

    /// <summary>The event that sets an account to <paramref name="after"/> after a waterfall.</summary>
    public static WaterfallSettled SettledEvent(int round, string role, Account after)
    {
        // Arrays of the exact size, filled through the dictionaries' own enumerators: a crash writes one of these per
        // account a waterfall touches (over a million in the 100,000-account load test), and LINQ's growing copies
        // were a steady share of its allocation.
        var balances = new AssetBalance[after.Balances.Count];
        var positions = new Position[after.Positions.Count];
        var (b, p) = (0, 0);
        foreach (var (asset, amount) in after.Balances)
        {
            balances[b++] = new AssetBalance(asset, amount);
        }

        foreach (var (_, position) in after.Positions)
        {
            positions[p++] = position;
        }

        return new WaterfallSettled(round, role, balances, positions);
    }

    /// <summary>
    /// Re-margins <paramref name="state"/> at <paramref name="prices"/>: the new state (with hysteresis), the event if it
    /// changed, and the bands within which it cannot change again.
    /// </summary>
    public static RemarginResult Remargin(EngineAccount state, EngineModel model, MarketPrices prices, long timeMicros)
    {
        // One valuation serves the bands, the state-change event and the coordinator's severity (totals only: no
        // per-position terms are needed for a cross or portfolio account).
        var risk = MarginEngine.EvaluateTotals(state.Account, model.Catalog, prices, model.Risk.Portfolio);
        var bands = RiskBands.Compute(state.Account, model.Catalog, prices, model.Risk, risk, state.State);
        RiskStateChanged? changed = null;
        if (bands.State != state.State)
        {
            changed = new RiskStateChanged(timeMicros, state.State, bands.State, risk.MarginRatio is { } r ? decimal.Round(r, 8) : null);
        }

        return new RemarginResult(bands, changed) { Severity = SeverityOf(risk) };
    }

    /// <summary>Severity for the coordinator's queue: MM / equity, or a large number when equity ≤ 0.</summary>
    public static decimal Severity(EngineAccount state, EngineModel model, MarketPrices prices) =>
        SeverityOf(MarginEngine.EvaluateTotals(state.Account, model.Catalog, prices, model.Risk.Portfolio));

    private static decimal SeverityOf(AccountRisk risk) => risk.MarginRatio ?? 1_000_000m;

    private static AccountDecision Accept(AccountCommand c, AccountEvent e) => new([e], CommandReply.Accept(c));

    private static AccountDecision Refuse(AccountCommand c, string reason) => new([], CommandReply.Refuse(c, reason));

    private static string Text(decimal d) => d.ToString(CultureInfo.InvariantCulture);
}

/// <summary>Result of <see cref="AccountLogic.Remargin"/>.</summary>
/// <param name="Bands">New state and bands.</param>
/// <param name="Changed">The state-change event, or null when the state is unchanged.</param>
public sealed record RemarginResult(RiskBandSet Bands, RiskStateChanged? Changed)
{
    /// <summary>The coordinator's severity at the same prices (as <see cref="AccountLogic.Severity(EngineAccount, EngineModel, MarketPrices)"/>; 0 when not set).</summary>
    public decimal Severity { get; init; }
}
