using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Domain;

/// <summary>
/// Who holds each instrument on each side, with the position held: ADL's candidate pool. Kept current as positions
/// change, so ranking candidates reads one flat list per instrument and side instead of looking every account up. Not
/// thread-safe: owned by the engine's thread.
/// </summary>
public sealed class HolderIndex
{
    private readonly Dictionary<(string Instrument, int Side), Holders> _sides = new();

    /// <summary>The holders of <paramref name="instrument"/> on <paramref name="side"/> (+1 long, −1 short) with their positions, in no particular order.</summary>
    public IReadOnlyList<(long Id, Position Position)> Of(string instrument, int side) =>
        _sides.TryGetValue((instrument, side), out var h) ? h.Rows : [];

    /// <summary>Records that account <paramref name="id"/>'s positions went from <paramref name="before"/> to <paramref name="after"/>.</summary>
    public void Update(long id, IReadOnlyDictionary<string, Position> before, IReadOnlyDictionary<string, Position> after)
    {
        foreach (var (instrument, p) in before)
        {
            var side = Math.Sign(p.Size);
            if (side != 0 && (!after.TryGetValue(instrument, out var now) || Math.Sign(now.Size) != side))
            {
                _sides[(instrument, side)].Remove(id);
            }
        }

        foreach (var (instrument, p) in after)
        {
            var side = Math.Sign(p.Size);
            if (side == 0 || (before.TryGetValue(instrument, out var then) && ReferenceEquals(then, p)))
            {
                continue;
            }

            if (!_sides.TryGetValue((instrument, side), out var h))
            {
                _sides[(instrument, side)] = h = new Holders();
            }

            h.Set(id, p);
        }
    }

    private sealed class Holders
    {
        private readonly Dictionary<long, int> _slot = new();

        public List<(long Id, Position Position)> Rows { get; } = new();

        public void Set(long id, Position p)
        {
            if (_slot.TryGetValue(id, out var i))
            {
                Rows[i] = (id, p);
            }
            else
            {
                _slot[id] = Rows.Count;
                Rows.Add((id, p));
            }
        }

        public void Remove(long id)
        {
            if (!_slot.Remove(id, out var i))
            {
                return;
            }

            // Swap the last row into the hole: order is not part of the contract.
            var last = Rows.Count - 1;
            if (i != last)
            {
                Rows[i] = Rows[last];
                _slot[Rows[i].Id] = i;
            }

            Rows.RemoveAt(last);
        }
    }
}
