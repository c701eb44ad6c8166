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

    // Scratch for Contenders: each holder's floating-point uPnL bounds (reused; the index has one owner thread).
    private double[] _upper = [];
    private double[] _lower = [];

    /// <summary>The holders of <paramref name="instrument"/> on <paramref name="side"/> (+1 long, −1 short) with their positions, in no particular order.</summary>
    public IReadOnlyList<(long Id, Position Position)> Of(string instrument, int side) =>
        _sides.TryGetValue((instrument, side), out var h) ? h.Rows : [];

    /// <summary>
    /// Adds to <paramref name="into"/> the holders of <paramref name="instrument"/> on <paramref name="side"/> that can be
    /// among the <paramref name="k"/> with the highest uPnL at <paramref name="mark"/> (ties by id), leaving out
    /// <paramref name="excluded"/> and the ids in <paramref name="skip"/>: a superset of those <paramref name="k"/>, usually
    /// little more than them, for the caller to rank exactly. Why it is exact: each holder's uPnL is bounded in floating
    /// point (an estimate ± a bound a thousand times the worst rounding); the k-th largest lower bound T is at most the
    /// exact k-th best uPnL, so every holder that can rank in the top k has an upper bound ≥ T and is kept. Two passes
    /// over flat arrays of doubles, no decimal arithmetic: ranking the pool stays cheap when it holds most accounts.
    /// </summary>
    public void Contenders(string instrument, int side, InstrumentSpec spec, decimal mark, int k, long excluded, IReadOnlySet<long>? skip, List<(long Id, Position Position)> into)
    {
        if (k <= 0 || !_sides.TryGetValue((instrument, side), out var h))
        {
            return;
        }

        var n = h.Rows.Count;
        if (_upper.Length < n)
        {
            (_upper, _lower) = (new double[Math.Max(n, _upper.Length * 2)], new double[Math.Max(n, _upper.Length * 2)]);
        }

        var (cs, m, linear) = ((double)spec.ContractSize, (double)mark, spec.Kind == InstrumentKind.LinearPerpetual);
        var heap = new double[k]; // min-heap of the k largest lower bounds
        var kept = 0;
        for (var i = 0; i < n; i++)
        {
            var id = h.Rows[i].Id;
            if (id == excluded || (skip is not null && skip.Contains(id)))
            {
                _upper[i] = double.NegativeInfinity;
                continue;
            }

            var (q, c) = (h.Sizes[i], h.Costs[i]);
            var (a, b) = linear ? (cs * q * m, cs * c) : (cs * c, cs * q / m);
            var estimate = a - b;
            var bound = (RelativeBound * (Math.Abs(a) + Math.Abs(b))) + AbsoluteBound;
            (_upper[i], _lower[i]) = (estimate + bound, estimate - bound);
            if (kept < k)
            {
                heap[kept++] = _lower[i];
                SiftUp(heap, kept - 1);
            }
            else if (_lower[i] > heap[0])
            {
                heap[0] = _lower[i];
                SiftDown(heap, k);
            }
        }

        var threshold = kept < k ? double.NegativeInfinity : heap[0];
        for (var i = 0; i < n; i++)
        {
            if (_upper[i] >= threshold && !double.IsNegativeInfinity(_upper[i]))
            {
                into.Add(h.Rows[i]);
            }
        }
    }

    // Rounding of the double estimate is below 1e-15 of |a| + |b| (a handful of operations, each within 2⁻⁵³); the
    // decimal uPnL it is compared with is exact to 28 digits. The bound leaves three orders of magnitude to spare.
    private const double RelativeBound = 1e-12;

    private const double AbsoluteBound = 1e-18;

    private static void SiftUp(double[] heap, int i)
    {
        while (i > 0 && heap[(i - 1) / 2] > heap[i])
        {
            (heap[(i - 1) / 2], heap[i]) = (heap[i], heap[(i - 1) / 2]);
            i = (i - 1) / 2;
        }
    }

    private static void SiftDown(double[] heap, int count)
    {
        var i = 0;
        while (true)
        {
            var (l, r, least) = ((2 * i) + 1, (2 * i) + 2, i);
            least = l < count && heap[l] < heap[least] ? l : least;
            least = r < count && heap[r] < heap[least] ? r : least;
            if (least == i)
            {
                return;
            }

            (heap[least], heap[i]) = (heap[i], heap[least]);
            i = least;
        }
    }

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

        // The rows' size and cost as doubles, row for row: what Contenders scans.
        public List<double> Sizes { get; } = new();

        public List<double> Costs { get; } = new();

        public void Set(long id, Position p)
        {
            if (_slot.TryGetValue(id, out var i))
            {
                Rows[i] = (id, p);
                (Sizes[i], Costs[i]) = ((double)p.Size, (double)p.Cost);
            }
            else
            {
                _slot[id] = Rows.Count;
                Rows.Add((id, p));
                Sizes.Add((double)p.Size);
                Costs.Add((double)p.Cost);
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
                (Sizes[i], Costs[i]) = (Sizes[last], Costs[last]);
                _slot[Rows[i].Id] = i;
            }

            Rows.RemoveAt(last);
            Sizes.RemoveAt(last);
            Costs.RemoveAt(last);
        }
    }
}
