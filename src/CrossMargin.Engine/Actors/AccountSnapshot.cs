using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Actors;

/// <summary>An account actor's snapshot: the whole <see cref="EngineAccount"/> in serializable form (manifest <c>AccountSnapshot</c>).</summary>
/// <param name="Id">Account id.</param>
/// <param name="Mode">Margin mode.</param>
/// <param name="State">Last journaled risk state.</param>
/// <param name="Balances">Balances per asset, ascending asset id.</param>
/// <param name="Positions">Positions, ascending instrument id.</param>
public sealed record AccountSnapshot(long Id, RiskMarginMode Mode, RiskState State, IReadOnlyList<AssetBalance> Balances, IReadOnlyList<Position> Positions)
{
    /// <summary>The snapshot of <paramref name="state"/>.</summary>
    public static AccountSnapshot Of(EngineAccount state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var settled = AccountLogic.SettledEvent(0, "snapshot", state.Account);
        return new AccountSnapshot(state.Id, state.Account.Mode, state.State, settled.Balances, settled.Positions);
    }

    /// <summary>The account state this snapshot holds (folded through the same <see cref="AccountLogic.Apply"/> as a waterfall settlement).</summary>
    public EngineAccount ToState(EngineModel model)
    {
        var empty = EngineAccount.Empty(Id, Mode);
        return AccountLogic.Apply(empty, new WaterfallSettled(0, "snapshot", Balances, Positions), model) with { State = State };
    }
}
