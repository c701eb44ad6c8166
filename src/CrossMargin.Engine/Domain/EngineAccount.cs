using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;

namespace CrossMargin.Engine.Domain;

/// <summary>An account actor's state: the risk core's account plus its last classified risk state. Immutable.</summary>
/// <param name="Id">Account id.</param>
/// <param name="Account">Collateral pool and positions (risk core).</param>
/// <param name="State">Risk state as last journaled.</param>
public sealed record EngineAccount(long Id, Account Account, RiskState State)
{
    /// <summary>A new, empty, healthy account.</summary>
    public static EngineAccount Empty(long id, MarginMode mode) => new(id, Account.Empty(EngineIds.RiskId(id), mode), RiskState.Healthy);

    /// <summary>True when the account holds at least one non-zero position.</summary>
    public bool HasPositions
    {
        get
        {
            // The dictionary's struct enumerator: .Values allocated an iterator on every call, and the engine asks
            // this of every account it is about to re-margin.
            foreach (var (_, p) in Account.Positions)
            {
                if (p.Size != 0m)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
