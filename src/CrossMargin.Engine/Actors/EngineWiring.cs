using CrossMargin.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Risk.Model;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// Counts journal round trips under way (persists, recoveries, snapshots) of the engine's actors. The persistence
/// layer completes writes on pool threads, so <c>RunUntilIdle</c> can return while a write is still out; the driver
/// keeps running the loop until this count is zero (<see cref="ActorEngine.Settle"/>). Thread-safe.
/// </summary>
public sealed class WorkTracker
{
    private long _pending;

    /// <summary>Round trips under way.</summary>
    public long Pending => Interlocked.Read(ref _pending);

    /// <summary>One more round trip started.</summary>
    public void Begin(long count = 1) => Interlocked.Add(ref _pending, count);

    /// <summary>One round trip finished.</summary>
    public void End(long count = 1) => Interlocked.Add(ref _pending, -count);
}

/// <summary>
/// The current marks and asset prices, written only by the feed actors (each for its own symbol) and read by the
/// coordinator and in <see cref="MarksChanged"/> snapshots. The local stand-in for a replicated price board: on the
/// deterministic dispatcher every access is on the loop thread; the value is an immutable snapshot swapped under a lock.
/// </summary>
public sealed class PriceBoard(MarketPrices initial)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, long> _publishedAt = new(StringComparer.Ordinal);
    private MarketPrices _prices = initial;

    /// <summary>The prices now.</summary>
    public MarketPrices Prices
    {
        get
        {
            lock (_gate)
            {
                return _prices;
            }
        }
    }

    /// <summary>Replaces the snapshot with <paramref name="update"/> applied to it.</summary>
    public void Update(Func<MarketPrices, MarketPrices> update)
    {
        lock (_gate)
        {
            _prices = update(_prices);
        }
    }
    /// <summary>
    /// Publishes a feed's current prices: its mark as the instrument's mark (when <paramref name="isInstrument"/>) and its
    /// index as the price of every asset in <paramref name="assetsPriced"/>. Called by the feed that owns the symbol (or,
    /// on a cluster node, by the actor following that feed's journal). A node has two folds of one feed (the singleton
    /// and its journal follower): a fold that is behind the last one published (older <see cref="PriceFeed.LastEventMicros"/>)
    /// does not overwrite newer prices.
    /// </summary>
    public void Publish(PriceFeed feed, bool isInstrument, IReadOnlyList<string> assetsPriced)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(assetsPriced);
        var mark = feed.Mark;
        var index = feed.Index;
        var at = feed.LastEventMicros;
        lock (_gate)
        {
            if (_publishedAt.TryGetValue(feed.Symbol, out var published) && at < published)
            {
                return;
            }

            _publishedAt[feed.Symbol] = at;
            var p = _prices;
            if (isInstrument)
            {
                p = p.WithMark(feed.Symbol, mark);
            }

            foreach (var a in assetsPriced)
            {
                p = p.WithPrice(a, index);
            }

            _prices = p;
        }
    }
}

/// <summary>
/// What every engine actor needs to find the others and the shared model. Built by <see cref="ActorEngine"/>; the actor
/// references are filled in before the first message is sent and never change afterwards.
/// </summary>
public sealed class EngineWiring
{
    /// <summary>Creates the wiring.</summary>
    /// <param name="model">Instruments, assets and risk parameters.</param>
    /// <param name="marketMakerId">The market maker's account id (never liquidated).</param>
    /// <param name="modes">Margin mode of every account that exists; other ids are refused as unknown.</param>
    /// <param name="assetFeeds">Asset id → symbol of the feed pricing it.</param>
    /// <param name="board">Current prices.</param>
    /// <param name="snapshotEvery">An account snapshots after every this many events (0 = never).</param>
    public EngineWiring(EngineModel model, long marketMakerId, IReadOnlyDictionary<long, RiskMarginMode> modes,
        IReadOnlyDictionary<string, string> assetFeeds, PriceBoard board, int snapshotEvery)
    {
        Model = model;
        MarketMakerId = marketMakerId;
        Modes = modes;
        AssetFeeds = assetFeeds;
        Board = board;
        SnapshotEvery = snapshotEvery;
    }

    /// <summary>Instruments, assets and risk parameters.</summary>
    public EngineModel Model { get; }

    /// <summary>The market maker's account id.</summary>
    public long MarketMakerId { get; }

    /// <summary>Margin mode by account id (the account directory).</summary>
    public IReadOnlyDictionary<long, RiskMarginMode> Modes { get; }

    /// <summary>Asset id → feed symbol.</summary>
    public IReadOnlyDictionary<string, string> AssetFeeds { get; }

    /// <summary>Current prices.</summary>
    public PriceBoard Board { get; }

    /// <summary>Events between account snapshots (0 = never).</summary>
    public int SnapshotEvery { get; }

    /// <summary>Idle time after which an account passivates (null = never; the deterministic driver does not move the clock).</summary>
    public TimeSpan? PassivateAfter { get; init; }

    /// <summary>
    /// How many <see cref="CommandApplied"/> receipts (delivered commands, cluster mode) an account remembers and keeps in
    /// its snapshot; older ones are forgotten (the inbox answers those from its stored replies). Default 10,000.
    /// </summary>
    public int ReceiptMemory { get; init; } = 10_000;

    /// <summary>Journal round trips under way.</summary>
    public WorkTracker Work { get; } = new();

    /// <summary>Where journaled events are reported for the run's figures (null = none).</summary>
    public ActorMetricsSink? Metrics { get; init; }

    /// <summary>Feed actors by symbol.</summary>
    public SortedDictionary<string, IActorRef> Feeds { get; } = new(StringComparer.Ordinal);

    /// <summary>The account region.</summary>
    public IActorRef Region { get; set; } = ActorRefs.Nobody;

    /// <summary>The liquidation coordinator.</summary>
    public IActorRef Coordinator { get; set; } = ActorRefs.Nobody;
}
