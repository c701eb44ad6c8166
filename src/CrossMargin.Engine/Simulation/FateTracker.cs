using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Reporting;
using CrossMargin.Risk.States;

namespace CrossMargin.Engine.Simulation;

/// <summary>
/// Worst fate per account, derived from the account events in journal order with the rule the running engine uses
/// for its report (<see cref="RunMetrics.Fate"/>): a transition into Warning or worse → margin called; a liquidation
/// fill → partially liquidated, or liquidated when it left no position; a bankrupt waterfall settlement → bankrupt;
/// being a waterfall counterparty (ADL) → deleveraged. Fates only get worse (enum order).
/// </summary>
/// <remarks>Not thread-safe; fold from one thread. The market maker is not tracked.</remarks>
public sealed class FateTracker
{
    private readonly Dictionary<long, AccountFate> _fates = new();
    private readonly long _marketMaker;

    /// <summary>Creates a tracker that ignores <paramref name="marketMaker"/>.</summary>
    public FateTracker(long marketMaker)
    {
        _marketMaker = marketMaker;
    }

    /// <summary>Folds one account event; <paramref name="hasPositionsAfter"/> is whether the account holds a position after it.</summary>
    public void Apply(long accountId, AccountEvent e, bool hasPositionsAfter)
    {
        ArgumentNullException.ThrowIfNull(e);
        if (accountId == _marketMaker)
        {
            return;
        }

        switch (e)
        {
            case RiskStateChanged s when s.To > RiskState.Warning || (s.To == RiskState.Warning && s.From < RiskState.Warning):
                Raise(accountId, AccountFate.MarginCalled);
                break;
            case LiquidationFilled:
                Raise(accountId, hasPositionsAfter ? AccountFate.PartiallyLiquidated : AccountFate.Liquidated);
                break;
            case WaterfallSettled { Role: "bankrupt" }:
                Raise(accountId, AccountFate.Bankrupt);
                break;
            case WaterfallSettled { Role: "counterparty" }:
                Raise(accountId, AccountFate.Deleveraged);
                break;
        }
    }

    /// <summary>The account's fate so far (healthy when nothing happened to it).</summary>
    public AccountFate FateOf(long accountId) => _fates.TryGetValue(accountId, out var f) ? f : AccountFate.Healthy;

    /// <summary>Every account with a fate other than healthy.</summary>
    public IReadOnlyDictionary<long, AccountFate> Fates => _fates;

    private void Raise(long id, AccountFate fate)
    {
        if (!_fates.TryGetValue(id, out var f) || f < fate)
        {
            _fates[id] = fate;
        }
    }
}
