using CrossMargin.Risk.Model;
using AccountEvent = CrossMargin.Engine.Domain.Events.AccountEvent;
using CoordinatorEvent = CrossMargin.Engine.Domain.Events.CoordinatorEvent;

namespace CrossMargin.Engine.Domain;

/// <summary>
/// What the coordinator needs from the rest of the system during a round. In-process the simulation host implements it
/// directly; an actor shell implements it with messages to the account region and the feeds.
/// </summary>
public interface ILiquidationPorts
{
    /// <summary>Instruments, assets and risk parameters.</summary>
    EngineModel Model { get; }

    /// <summary>Current marks and asset prices.</summary>
    MarketPrices Prices { get; }

    /// <summary>The current state of account <paramref name="id"/>.</summary>
    EngineAccount Account(long id);

    /// <summary>Every account id in ascending order (ADL candidate scan).</summary>
    IReadOnlyList<long> AccountIds { get; }

    /// <summary>
    /// The accounts holding a position in <paramref name="instrument"/> on <paramref name="side"/> (+1 long, −1 short)
    /// now, with that position, in any order: where ADL looks for candidates. The default scans every account; a host
    /// that keeps a <see cref="HolderIndex"/> returns its list (same holders, no scan).
    /// </summary>
    IEnumerable<(long Id, Position Position)> Holders(string instrument, int side)
    {
        foreach (var id in AccountIds)
        {
            if (Account(id).Account.Positions.TryGetValue(instrument, out var p) && Math.Sign(p.Size) == side)
            {
                yield return (id, p);
            }
        }
    }

    /// <summary>
    /// The host's <see cref="Domain.HolderIndex"/> over the same holders as <see cref="Holders"/>, or null (the default):
    /// with one, ranking ADL candidates narrows the pool in floating point first (<see cref="HolderIndex.Contenders"/>)
    /// and values only the contenders exactly. The ranking is the same either way.
    /// </summary>
    HolderIndex? HolderIndex => null;

    /// <summary>Persists and applies <paramref name="e"/> on account <paramref name="id"/>.</summary>
    void Emit(long id, AccountEvent e);

    /// <summary>Persists a coordinator event.</summary>
    void Emit(CoordinatorEvent e);

    /// <summary>The feed of <paramref name="instrument"/>, or null.</summary>
    PriceFeed? Feed(string instrument);
}
