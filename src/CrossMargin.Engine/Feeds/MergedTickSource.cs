using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// K-way merge of several time-ordered sources into one: ticks come in time order; ties at the same instant are broken
/// by instrument (ordinal), then by source position in the list, then by order within the source. Costs O(log k) per
/// tick for k sources.
/// </summary>
public sealed class MergedTickSource : ITickSource
{
    private readonly ITickSource[] _sources;

    /// <summary>Creates the merge over <paramref name="sources"/> (their order is the tie-break order).</summary>
    public MergedTickSource(IEnumerable<ITickSource> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        _sources = [.. sources];
    }

    /// <summary>The merged sources.</summary>
    public IReadOnlyList<ITickSource> Sources => _sources;

    /// <inheritdoc />
    /// <exception cref="InvalidOperationException">A source yielded a tick earlier than its previous one.</exception>
    public IEnumerable<Tick> Ticks()
    {
        var enumerators = new IEnumerator<Tick>[_sources.Length];
        var queue = new PriorityQueue<int, (DateTimeOffset Time, string Instrument, int Source)>(_sources.Length, HeadComparer.Instance);
        try
        {
            for (int i = 0; i < _sources.Length; i++)
            {
                enumerators[i] = _sources[i].Ticks().GetEnumerator();
                if (enumerators[i].MoveNext())
                {
                    Tick head = enumerators[i].Current;
                    queue.Enqueue(i, (head.Time, head.Instrument, i));
                }
            }

            while (queue.TryDequeue(out int source, out _))
            {
                IEnumerator<Tick> e = enumerators[source];
                Tick tick = e.Current;
                yield return tick;
                if (e.MoveNext())
                {
                    Tick next = e.Current;
                    if (next.Time < tick.Time)
                    {
                        throw new InvalidOperationException(
                            $"Tick source {source} went back in time: {next.Instrument} at {next.Time:O} after {tick.Time:O}.");
                    }

                    queue.Enqueue(source, (next.Time, next.Instrument, source));
                }
            }
        }
        finally
        {
            foreach (IEnumerator<Tick>? e in enumerators)
            {
                e?.Dispose();
            }
        }
    }

    private sealed class HeadComparer : IComparer<(DateTimeOffset Time, string Instrument, int Source)>
    {
        public static readonly HeadComparer Instance = new();

        public int Compare((DateTimeOffset Time, string Instrument, int Source) x, (DateTimeOffset Time, string Instrument, int Source) y)
        {
            int byTime = x.Time.CompareTo(y.Time);
            if (byTime != 0)
            {
                return byTime;
            }

            int bySymbol = string.CompareOrdinal(x.Instrument, y.Instrument);
            return bySymbol != 0 ? bySymbol : x.Source.CompareTo(y.Source);
        }
    }
}
