namespace CrossMargin.Engine.Benchmarks.Rigs;

/// <summary>
/// One tick that crashes the first instrument's index by <see cref="Drop"/> on a freshly seeded rig: accounts fall into
/// liquidation and the coordinator runs cascade rounds (fills move the mark, the mark wakes more accounts) within the
/// tick. Destructive, so every measurement needs a new rig (built outside the timing).
/// </summary>
public sealed class CrashTick
{
    public CrashTick(int accounts, decimal drop)
    {
        Drop = drop;
        Rig = EngineRig.Create(accounts);
        Index = Rig.IndexAt(-drop);
    }

    public decimal Drop { get; }

    public EngineRig Rig { get; }

    public decimal Index { get; }

    /// <summary>Cascade rounds, liquidation fills and accounts with at least one event, once <see cref="Run"/> has run.</summary>
    public (long Rounds, long Fills, IReadOnlyList<long> Touched) Outcome { get; private set; }

    /// <summary>
    /// After <see cref="Record"/>: every account whose band (read before the tick) no longer holds the mark or index after it,
    /// or that had an event: the accounts a cascade must at least value once.
    /// </summary>
    public IReadOnlyList<long> WokenOrTouched { get; private set; } = [];

    /// <summary>The timed part: the crash tick and every cascade round it triggers.</summary>
    public void Run() => Rig.Tick(Index);

    private Dictionary<long, object>? _before;
    private List<(long Id, Bands.Band? Mark, Bands.Band? Asset)>? _bands;
    private long _rounds0, _fills0;

    /// <summary>Notes every account's state before the tick (O(accounts), outside the timing).</summary>
    public void Snapshot()
    {
        var host = Rig.Host;
        _before = host.AccountIds.ToDictionary(id => id, id => (object)host.Account(id));
        _bands = host.AccountIds.Select(id => (id, Rig.Feed.Bands.TryGetBand(id, out var m) ? m : (Bands.Band?)null,
            Rig.Feed.AssetBands.TryGetBand(id, out var a) ? a : (Bands.Band?)null)).ToList();
        _rounds0 = host.Metrics.Rounds;
        _fills0 = host.Metrics.Liquidations;
    }

    /// <summary>After <see cref="Snapshot"/> and <see cref="Run"/>: what the tick did (accounts whose state object was replaced had events).</summary>
    public void Record()
    {
        var host = Rig.Host;
        var before = _before ?? throw new InvalidOperationException("Snapshot first");
        var touched = host.AccountIds.Where(id => !ReferenceEquals(before[id], host.Account(id))).ToList();
        Outcome = (host.Metrics.Rounds - _rounds0, host.Metrics.Liquidations - _fills0, touched);
        var feed = Rig.Feed;
        WokenOrTouched = _bands!.Where(b => (b.Mark is { } m && !m.Contains(feed.Mark)) || (b.Asset is { } a && !a.Contains(feed.Index)))
            .Select(b => b.Id).Union(touched).Order().ToList();
    }
}
