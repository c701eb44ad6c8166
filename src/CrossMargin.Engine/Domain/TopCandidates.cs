namespace CrossMargin.Engine.Domain;

/// <summary>
/// The <c>k</c> best (PnL descending, then id ascending) of a stream of offers, without sorting the stream: a heap of
/// the kept ones with the worst on top, so most offers cost one comparison. The result is the same as sorting every
/// offer and taking the first <c>k</c>, whatever order they come in. Not thread-safe; one ranking per instance.
/// </summary>
/// <param name="k">How many to keep (0 or less keeps none).</param>
public sealed class TopCandidates(int k)
{
    private readonly List<(decimal Pnl, long Id)> _heap = new(Math.Max(0, k));

    /// <summary>Offers account <paramref name="id"/> with <paramref name="pnl"/>.</summary>
    public void Offer(decimal pnl, long id)
    {
        if (k <= 0)
        {
            return;
        }

        if (_heap.Count < k)
        {
            _heap.Add((pnl, id));
            Up(_heap.Count - 1);
        }
        else if (Better((pnl, id), _heap[0]))
        {
            _heap[0] = (pnl, id);
            Down(0);
        }
    }

    /// <summary>The kept ids, best first.</summary>
    public List<long> Ranked()
    {
        var kept = new List<(decimal Pnl, long Id)>(_heap);
        kept.Sort((a, b) => Better(a, b) ? -1 : Better(b, a) ? 1 : 0);
        return kept.ConvertAll(c => c.Id);
    }

    private static bool Better((decimal Pnl, long Id) a, (decimal Pnl, long Id) b) => a.Pnl != b.Pnl ? a.Pnl > b.Pnl : a.Id < b.Id;

    // Min-heap on "better": the root is the worst kept offer.
    private void Up(int i)
    {
        while (i > 0)
        {
            var parent = (i - 1) / 2;
            if (!Better(_heap[parent], _heap[i]))
            {
                return;
            }

            (_heap[parent], _heap[i]) = (_heap[i], _heap[parent]);
            i = parent;
        }
    }

    private void Down(int i)
    {
        while (true)
        {
            var worst = i;
            var l = (2 * i) + 1;
            var r = l + 1;
            if (l < _heap.Count && Better(_heap[worst], _heap[l]))
            {
                worst = l;
            }

            if (r < _heap.Count && Better(_heap[worst], _heap[r]))
            {
                worst = r;
            }

            if (worst == i)
            {
                return;
            }

            (_heap[worst], _heap[i]) = (_heap[i], _heap[worst]);
            i = worst;
        }
    }
}
