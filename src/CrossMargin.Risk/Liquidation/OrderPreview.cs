using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Events;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Liquidation;

/// <summary>Effect of a prospective fill (valuation asset).</summary>
/// <param name="Accepted">False when the order would breach IM, is refused by the state, or exceeds the last bracket.</param>
/// <param name="RejectReason">Why, when refused.</param>
/// <param name="Before">Risk before.</param>
/// <param name="After">Risk after (null when the size is beyond the margin rule).</param>
/// <param name="LiquidationPriceAfter">New liquidation price of the instrument (rounded), if any.</param>
public sealed record OrderPreviewResult(bool Accepted, string? RejectReason, AccountRisk Before, AccountRisk? After, decimal? LiquidationPriceAfter)
{
    /// <summary>IM after − IM before.</summary>
    public decimal DeltaInitial => (After?.Initial ?? Before.Initial) - Before.Initial;

    /// <summary>MM after − MM before.</summary>
    public decimal DeltaMaintenance => (After?.Maintenance ?? Before.Maintenance) - Before.Maintenance;
}

/// <summary>
/// Previews a fill before it happens. Reducing orders are accepted unless the account is being liquidated; orders
/// that add risk are refused in ReduceOnly or worse, and when IM after would exceed equity after (cross/portfolio) or
/// the position's own equity (isolated).
/// </summary>
public static class OrderPreview
{
    /// <summary>Previews filling <paramref name="sizeDelta"/> of <paramref name="instrumentId"/> at <paramref name="price"/> with <paramref name="fee"/>.</summary>
    public static OrderPreviewResult Preview(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState current, string instrumentId, decimal sizeDelta, decimal price, decimal fee = 0m)
    {
        var spec = catalog.Instrument(instrumentId);
        Guard.Positive(price, "order.price");
        Guard.Multiple(price, spec.TickSize, "order.price");
        Guard.Multiple(sizeDelta, spec.LotSize, "order.size");
        var before = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
        var old = account.Positions.TryGetValue(instrumentId, out var p) ? p.Size : 0m;
        var next = old + sizeDelta;
        var reducing = Math.Abs(next) <= Math.Abs(old) && (next == 0m || Math.Sign(next) == Math.Sign(old));
        var afterAccount = AccountFold.Apply(account, new PositionFilled(instrumentId, sizeDelta, price, fee), catalog);
        AccountRisk after;
        try
        {
            after = MarginEngine.Evaluate(afterAccount, catalog, prices, config.Portfolio);
        }
        catch (RiskInputException e)
        {
            return new OrderPreviewResult(false, e.Message, before, null, null);
        }

        decimal? liq = next == 0m || account.Mode == MarginMode.Portfolio
            ? null
            : LiquidationPrices.Liquidation(afterAccount, catalog, prices, instrumentId, config.Thresholds.LiquidationRatio);
        if (current >= RiskState.Liquidating)
        {
            return new OrderPreviewResult(false, $"account is {current}: orders are refused during liquidation", before, after, liq);
        }

        if (reducing)
        {
            return new OrderPreviewResult(true, null, before, after, liq);
        }

        if (current >= RiskState.ReduceOnly)
        {
            return new OrderPreviewResult(false, $"account is {current}: only reducing orders are accepted", before, after, liq);
        }

        var breach = account.Mode == MarginMode.Isolated
            ? after.Positions.First(x => x.InstrumentId == instrumentId) is var pr && (pr.IsolatedEquity ?? 0m) < pr.Initial
            : after.Equity < after.Initial;
        return breach
            ? new OrderPreviewResult(false, "initial margin would exceed equity", before, after, liq)
            : new OrderPreviewResult(true, null, before, after, liq);
    }
}
