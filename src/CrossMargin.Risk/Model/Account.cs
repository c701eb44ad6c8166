using System.Collections.Immutable;

namespace CrossMargin.Risk.Model;

/// <summary>
/// An account: a collateral pool (balance per asset, may be negative after losses) and positions keyed by instrument.
/// Immutable; change it through <see cref="Events.AccountFold.Apply"/>. Sorted maps make every sum order-independent.
/// </summary>
/// <param name="Id">Account id.</param>
/// <param name="Mode">Cross, isolated or portfolio.</param>
/// <param name="Balances">Balance per asset (asset units).</param>
/// <param name="Positions">Open positions by instrument id; flat positions are removed.</param>
public sealed record Account(
    string Id,
    MarginMode Mode,
    ImmutableSortedDictionary<string, decimal> Balances,
    ImmutableSortedDictionary<string, Position> Positions)
{
    /// <summary>An empty account.</summary>
    public static Account Empty(string id, MarginMode mode = MarginMode.Cross) =>
        new(id, mode, ImmutableSortedDictionary<string, decimal>.Empty.WithComparers(StringComparer.Ordinal),
            ImmutableSortedDictionary<string, Position>.Empty.WithComparers(StringComparer.Ordinal));

    /// <summary>Balance of <paramref name="asset"/> (0 when absent).</summary>
    public decimal Balance(string asset) => Balances.TryGetValue(asset, out var b) ? b : 0m;

    /// <summary>Returns a copy with <paramref name="asset"/> balance set.</summary>
    public Account WithBalance(string asset, decimal amount) => this with { Balances = Balances.SetItem(asset, amount) };

    /// <summary>Returns a copy with <paramref name="position"/> set (removed when its size is 0 and it holds no isolated margin).</summary>
    public Account WithPosition(Position position) => this with
    {
        Positions = position.Size == 0m && position.IsolatedMargin == 0m
            ? Positions.Remove(position.InstrumentId)
            : Positions.SetItem(position.InstrumentId, position),
    };
}
