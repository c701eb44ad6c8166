using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Events;
using CrossMargin.Risk.Liquidation;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Waterfall;

/// <summary>Money-conserving operations on a <see cref="Book"/>. Pure: each returns a new book.</summary>
public static class BookOps
{
    /// <summary>
    /// A trade: <paramref name="takerId"/> changes its position by <paramref name="takerDelta"/> and
    /// <paramref name="makerId"/> by the opposite, both at <paramref name="price"/>. The taker pays
    /// <paramref name="takerFee"/>, split between the insurance fund and the fee pool by
    /// <paramref name="feeToInsuranceShare"/>.
    /// </summary>
    public static Book Trade(Book book, RiskCatalog catalog, string takerId, string makerId, string instrumentId, decimal takerDelta, decimal price, decimal takerFee, decimal feeToInsuranceShare)
    {
        var spec = catalog.Instrument(instrumentId);
        if (spec.SettlementAsset != book.SettlementAsset)
        {
            throw new RiskInputException($"instrument[{instrumentId}].settlement-asset", spec.SettlementAsset, $"book settles in {book.SettlementAsset}");
        }

        if (takerId == makerId)
        {
            throw new RiskInputException("trade.maker", makerId, "taker and maker must differ");
        }

        var maker = book.Accounts.TryGetValue(makerId, out var m) ? m : Account.Empty(makerId);
        var taker = AccountFold.Apply(book.Account(takerId), new PositionFilled(instrumentId, takerDelta, price, takerFee), catalog);
        maker = AccountFold.Apply(maker, new PositionFilled(instrumentId, -takerDelta, price, 0m), catalog);
        var toFund = decimal.Round(takerFee * feeToInsuranceShare, 12, MidpointRounding.ToZero);
        return book.With(taker).With(maker) with { InsuranceFund = book.InsuranceFund + toFund, FeePool = book.FeePool + (takerFee - toFund) };
    }

    /// <summary>
    /// Executes a partial liquidation order against <paramref name="counterpartyId"/> at <paramref name="fillPrice"/>.
    /// The fee (fee rate × notional) is capped at what the account has left after the close, so a fee never creates a
    /// deficit; it goes to the insurance fund (and fee pool, by the configured share).
    /// </summary>
    public static Book Liquidate(Book book, RiskCatalog catalog, RiskConfig config, LiquidationOrder order, string counterpartyId, decimal fillPrice)
    {
        var spec = catalog.Instrument(order.InstrumentId);
        var account = book.Account(order.AccountId);
        var nominal = PositionMath.Notional(spec, order.SizeDelta, fillPrice) * config.LiquidationFeeRate;
        var afterNoFee = AccountFold.Apply(account, new PositionFilled(order.InstrumentId, order.SizeDelta, fillPrice, 0m), catalog);
        var fee = Math.Min(nominal, Math.Max(0m, Remaining(account, afterNoFee, order.InstrumentId, book.SettlementAsset, catalog)));
        return Trade(book, catalog, order.AccountId, counterpartyId, order.InstrumentId, order.SizeDelta, fillPrice, fee, config.Waterfall.FeeToInsuranceShare);
    }

    /// <summary>What a fee may take after a close: isolated → the position's margin; cross → the settlement balance.</summary>
    private static decimal Remaining(Account before, Account after, string instrumentId, string settlement, RiskCatalog catalog)
    {
        if (after.Mode != MarginMode.Isolated)
        {
            return after.Balance(settlement);
        }

        return after.Positions.TryGetValue(instrumentId, out var p) ? p.IsolatedMargin : after.Balance(settlement) - before.Balance(settlement);
    }

    /// <summary>Moves <paramref name="amount"/> (settlement asset) from one account to another (the waterfall's charges).</summary>
    public static Book Transfer(Book book, RiskCatalog catalog, string fromId, string? fromInstrument, string toId, string? toInstrument, decimal amount, string reason)
    {
        var from = AccountFold.Apply(book.Account(fromId), new BalanceAdjusted(book.SettlementAsset, -amount, reason, fromInstrument), catalog);
        var b = book.With(from);
        var to = AccountFold.Apply(b.Account(toId), new BalanceAdjusted(book.SettlementAsset, amount, reason, toInstrument), catalog);
        return b.With(to);
    }

    /// <summary>Pays a liquidation fee from an account (or its isolated position) to the fund and fee pool.</summary>
    public static Book PayFee(Book book, RiskCatalog catalog, string accountId, string? instrumentId, decimal fee, decimal feeToInsuranceShare)
    {
        var a = AccountFold.Apply(book.Account(accountId), new BalanceAdjusted(book.SettlementAsset, -fee, "liquidation-fee", instrumentId), catalog);
        var toFund = decimal.Round(fee * feeToInsuranceShare, 12, MidpointRounding.ToZero);
        return book.With(a) with { InsuranceFund = book.InsuranceFund + toFund, FeePool = book.FeePool + (fee - toFund) };
    }

    /// <summary>The insurance fund pays <paramref name="amount"/> to an account (or its isolated position).</summary>
    public static Book InsurancePays(Book book, RiskCatalog catalog, string accountId, string? instrumentId, decimal amount)
    {
        if (amount > book.InsuranceFund)
        {
            throw new RiskInputException("insurance-fund", Guard.Text(book.InsuranceFund), $"cannot pay {Guard.Text(amount)}");
        }

        var a = AccountFold.Apply(book.Account(accountId), new BalanceAdjusted(book.SettlementAsset, amount, "insurance", instrumentId), catalog);
        return book.With(a) with { InsuranceFund = book.InsuranceFund - amount };
    }
}
