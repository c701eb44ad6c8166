using System.Collections.Concurrent;
using CrossMargin.Actors;
using CrossMargin.Cluster.Sharding;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Scenarios;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Cluster.Node;

/// <summary>
/// The engine half of a node: the scenario's model and account directory, the shared <see cref="EngineWiring"/> whose
/// region is a local router (account id → the node's hosted shard actor, or dropped when the shard lives elsewhere),
/// and one local <see cref="FeedFollowerActor"/> per feed symbol (the band index of this node's accounts).
/// </summary>
internal sealed class NodeEngine
{
    private readonly ConcurrentDictionary<int, IActorRef> _hostedShards = new();

    public NodeEngine(Scenario scenario, ActorSystem system, int shardCount, NodeOptions options)
    {
        Scenario = scenario;
        System = system;
        ShardCount = shardCount;
        var risk = scenario.Risk with { Waterfall = scenario.Risk.Waterfall with { BackstopAccountId = EngineIds.RiskId(scenario.MarketMaker.AccountId) } };
        Model = new EngineModel(scenario.Catalog, risk);
        var modes = new SortedDictionary<long, RiskMarginMode>();
        foreach (var s in scenario.Population.All())
        {
            modes[s.AccountId] = s.AccountId == scenario.MarketMaker.AccountId ? RiskMarginMode.Cross : s.Mode;
        }

        var assetFeeds = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var assetsPricedBy = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var a in scenario.Assets)
        {
            if (a.PriceFeed is { } symbol)
            {
                assetFeeds[a.Id] = symbol;
                if (!assetsPricedBy.TryGetValue(symbol, out var list))
                {
                    assetsPricedBy[symbol] = list = new List<string>();
                }

                list.Add(a.Id);
            }
        }

        AssetsPricedBy = assetsPricedBy.ToDictionary(kv => kv.Key, kv => (IReadOnlyList<string>)kv.Value, StringComparer.Ordinal);
        Wiring = new EngineWiring(Model, scenario.MarketMaker.AccountId, modes, assetFeeds, new PriceBoard(scenario.InitialPrices), options.SnapshotEvery)
        {
            PassivateAfter = options.PassivateAfter,
            ReceiptMemory = options.ReceiptMemory,
        };
        Wiring.Region = system.CreateFunctionRef(Route, "account-router");
        Clock = new FeedClock(UnixTime.ToMicros(scenario.StartTime));
        foreach (var symbol in scenario.FeedSymbols)
        {
            var isInstrument = Model.Catalog.Instruments.ContainsKey(symbol);
            var assets = AssetsPricedBy.TryGetValue(symbol, out var l) ? l : [];
            var feed = CreateFeed(symbol, Wiring.Modes.Count + 1);
            var w = Wiring;
            Wiring.Feeds[symbol] = system.ActorOf(Props.Create(() => new FeedFollowerActor(feed, isInstrument, assets, w, Clock)), "follow-" + symbol);
        }
    }

    public Scenario Scenario { get; }

    public ActorSystem System { get; }

    public int ShardCount { get; }

    public EngineModel Model { get; }

    public EngineWiring Wiring { get; }

    /// <summary>The latest feed time this node has seen (µs since the Unix epoch): stamps re-margins it starts itself.</summary>
    public FeedClock Clock { get; }

    /// <summary>Shorthand for <see cref="FeedClock.NowMicros"/>.</summary>
    public long LastFeedTimeMicros => Clock.NowMicros;

    public IReadOnlyDictionary<string, IReadOnlyList<string>> AssetsPricedBy { get; }

    /// <summary>Account ids of the directory that live in <paramref name="shard"/>, ascending.</summary>
    public IReadOnlyList<long> AccountsOf(int shard) => Wiring.Modes.Keys.Where(id => ShardMap.ShardOf(id, ShardCount) == shard).ToArray();

    /// <summary>True when the account exists in the directory.</summary>
    public bool IsKnown(long accountId) => Wiring.Modes.ContainsKey(accountId);

    public void Host(int shard, IActorRef actor) => _hostedShards[shard] = actor;

    public void Unhost(int shard, IActorRef actor) => _hostedShards.TryRemove(new KeyValuePair<int, IActorRef>(shard, actor));

    /// <summary>A fresh feed state machine for <paramref name="symbol"/>, configured as the scenario says.</summary>
    public PriceFeed CreateFeed(string symbol, int capacity)
    {
        foreach (var i in Scenario.Instruments)
        {
            if (i.Id == symbol)
            {
                return new PriceFeed(i.Id, i.Spec.TickSize, i.CreateMarkModel(), i.CreateImpactModel(), i.CreateDepthThinning(), i.ImpactHalfLife, capacity);
            }
        }

        foreach (var a in Scenario.Assets)
        {
            if (a.PriceFeed == symbol)
            {
                return new PriceFeed(symbol, a.TickSize, new IndexMarkModel(a.TickSize), null, null, capacity);
            }
        }

        throw new ArgumentException($"scenario {Scenario.Name} has no feed {symbol}", nameof(symbol));
    }

    private void Route(object message, IActorRef? sender)
    {
        // Runs on the sender's thread: only thread-safe lookups here.
        if (message is IAccountMessage m && _hostedShards.TryGetValue(ShardMap.ShardOf(m.AccountId, ShardCount), out var shard))
        {
            shard.Tell(m, sender);
        }
    }
}

/// <summary>The latest simulated time seen on any followed feed; only moves forward. Thread-safe.</summary>
internal sealed class FeedClock(long startMicros)
{
    private long _now = startMicros;

    public long NowMicros => Interlocked.Read(ref _now);

    public void Observe(long micros)
    {
        long current;
        while (micros > (current = Interlocked.Read(ref _now)) && Interlocked.CompareExchange(ref _now, micros, current) != current)
        {
        }
    }
}
