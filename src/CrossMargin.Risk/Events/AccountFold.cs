using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Events;

/// <summary>The only way an <see cref="Account"/> changes: <c>state = Apply(state, event)</c>. Pure.</summary>
public static class AccountFold
{
    /// <summary>
    /// Applies <paramref name="e"/> to <paramref name="account"/>. Throws <see cref="RiskInputException"/> (field and
    /// value named) for an unknown asset or instrument, a non-positive deposit/withdrawal, a withdrawal beyond the
    /// balance, a fill off the lot, and an <see cref="IsolatedMarginAssigned"/> that would make the pool balance or the
    /// position's isolated margin negative. Callers that persist events should apply them before persisting.
    /// </summary>
    public static Account Apply(Account account, AccountEvent e, RiskCatalog catalog) => e switch
    {
        CollateralDeposited d => account.WithBalance(catalog.Asset(d.Asset).Id, account.Balance(d.Asset) + Guard.Positive(d.Amount, "deposit.amount")),
        CollateralWithdrawn w => Withdraw(account, w, catalog),
        PositionFilled f => ApplyFill(account, f, catalog),
        IsolatedMarginAssigned m => ApplyIsolated(account, m, catalog),
        BalanceAdjusted b => ApplyAdjustment(account, b, catalog),
        _ => throw new RiskInputException("event", e.GetType().Name, "unknown account event"),
    };

    /// <summary>
    /// <see cref="Apply"/> without throwing on bad input: returns false with the <see cref="RiskInputException"/> (field,
    /// value, reason) instead, for a decide step that must refuse a command before persisting its events.
    /// </summary>
    public static bool TryApply(Account account, AccountEvent e, RiskCatalog catalog, out Account result, out RiskInputException? error)
    {
        try
        {
            result = Apply(account, e, catalog);
            error = null;
            return true;
        }
        catch (RiskInputException ex)
        {
            result = account;
            error = ex;
            return false;
        }
    }

    private static Account Withdraw(Account account, CollateralWithdrawn w, RiskCatalog catalog)
    {
        var left = account.Balance(catalog.Asset(w.Asset).Id) - Guard.Positive(w.Amount, "withdraw.amount");
        if (left < 0m)
        {
            // A withdrawal never creates a liability; only trading losses can make a balance negative.
            throw new RiskInputException("withdraw.amount", Guard.Text(w.Amount), $"exceeds the {w.Asset} balance {Guard.Text(account.Balance(w.Asset))}");
        }

        return account.WithBalance(w.Asset, left);
    }

    private static Account ApplyFill(Account account, PositionFilled f, RiskCatalog catalog)
    {
        var spec = catalog.Instrument(f.InstrumentId);
        Guard.Multiple(f.SizeDelta, spec.LotSize, $"fill[{spec.Id}].size");
        Guard.NonNegative(f.Fee, $"fill[{spec.Id}].fee");
        account.Positions.TryGetValue(spec.Id, out var old);
        var (pos, realized) = PositionMath.Fill(spec, old, f.SizeDelta, f.Price);
        if (account.Mode == MarginMode.Isolated)
        {
            // The position's own margin absorbs its PnL; a flat position's margin returns to the pool, unless it is
            // negative: that bad debt stays on the flat position for the loss waterfall and never touches the pool.
            var margin = pos.IsolatedMargin + realized - f.Fee;
            if (pos.Size == 0m && margin >= 0m)
            {
                return account.WithPosition(pos with { IsolatedMargin = 0m })
                    .WithBalance(spec.SettlementAsset, account.Balance(spec.SettlementAsset) + margin);
            }

            return account.WithPosition(pos with { IsolatedMargin = margin });
        }

        return account.WithPosition(pos).WithBalance(spec.SettlementAsset, account.Balance(spec.SettlementAsset) + realized - f.Fee);
    }

    private static Account ApplyIsolated(Account account, IsolatedMarginAssigned m, RiskCatalog catalog)
    {
        var spec = catalog.Instrument(m.InstrumentId);
        if (account.Mode != MarginMode.Isolated)
        {
            throw new RiskInputException("isolated-margin.account", account.Id, "is not in isolated mode");
        }

        var pos = account.Positions.TryGetValue(spec.Id, out var p) ? p : new Position(spec.Id, 0m, 0m);
        var pool = account.Balance(spec.SettlementAsset) - m.Amount;
        var margin = pos.IsolatedMargin + m.Amount;
        // Moving margin must never make collateral negative (issue 3, bad input): only trading losses may do that.
        if (m.Amount > 0m && pool < 0m)
        {
            throw new RiskInputException($"isolated-margin[{spec.Id}].amount", Guard.Text(m.Amount),
                $"exceeds the free {spec.SettlementAsset} pool balance {Guard.Text(account.Balance(spec.SettlementAsset))}");
        }

        if (m.Amount < 0m && margin < 0m)
        {
            throw new RiskInputException($"isolated-margin[{spec.Id}].amount", Guard.Text(m.Amount),
                $"would leave the position's isolated margin negative (it holds {Guard.Text(pos.IsolatedMargin)})");
        }

        return account.WithPosition(pos with { IsolatedMargin = margin }).WithBalance(spec.SettlementAsset, pool);
    }

    private static Account ApplyAdjustment(Account account, BalanceAdjusted b, RiskCatalog catalog)
    {
        if (b.InstrumentId is { } id && account.Mode == MarginMode.Isolated && account.Positions.TryGetValue(id, out var pos))
        {
            return account.WithPosition(pos with { IsolatedMargin = pos.IsolatedMargin + b.Amount });
        }

        return account.WithBalance(catalog.Asset(b.Asset).Id, account.Balance(b.Asset) + b.Amount);
    }
}
