using CrossMargin.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Persistence.Actors;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// The price feed of one symbol (persistence id <c>feed-SYMBOL</c>), hosting a <see cref="PriceFeed"/>: journals each
/// index tick as an input event, moves the mark, publishes the new prices on the <see cref="PriceBoard"/>, and wakes
/// the accounts whose band the mark (or, for collateral, the index) left — through the region, in account-id order.
/// Applies a round's liquidation flow for the coordinator and replies whom it woke. Bands are not journaled: accounts
/// re-register whenever they re-margin.
/// </summary>
public sealed class PriceFeedActor : ReceivePersistentActor
{
    private readonly PriceFeed _feed;
    private readonly bool _isInstrument;
    private readonly IReadOnlyList<string> _assets;
    private readonly EngineWiring _w;
    private readonly List<long> _woken = new();
    private readonly HashSet<Guid> _receipts = new();
    private readonly Queue<Guid> _receiptOrder = new();
    private long _lastTime = long.MinValue;

    /// <summary>Creates the shell around <paramref name="feed"/>.</summary>
    /// <param name="feed">The feed's state machine (owned by this actor from now on).</param>
    /// <param name="isInstrument">True when the symbol is a listed instrument (its mark is published).</param>
    /// <param name="assetsPriced">Collateral assets whose price is this feed's index.</param>
    /// <param name="wiring">The engine's wiring.</param>
    public PriceFeedActor(PriceFeed feed, bool isInstrument, IReadOnlyList<string> assetsPriced, EngineWiring wiring)
    {
        ArgumentNullException.ThrowIfNull(feed);
        ArgumentNullException.ThrowIfNull(wiring);
        _feed = feed;
        _isInstrument = isInstrument;
        _assets = assetsPriced;
        _w = wiring;
        PersistenceId = EngineIds.Feed(feed.Symbol);
        _w.Work.Begin();
        Recover<FeedEvent>(e =>
        {
            _feed.Recover(e);
            _lastTime = Math.Max(_lastTime, e switch { IndexTickReceived t => t.TimeMicros, ImpactApplied i => i.TimeMicros, _ => _lastTime });
        });
        Recover<CommandApplied>(r => Remember(r.DeliveryId));
        Recover<RecoveryCompleted>(_ =>
        {
            if (_feed.Mark > 0m)
            {
                Publish();
            }

            _w.Work.End();
        });

        Command<IndexTick>(OnTick);
        Command<RegisterBand>(b =>
        {
            if (b.OnIndex)
            {
                _feed.AssetBands.Register(b.AccountId, b.Low, b.High);
            }
            else
            {
                _feed.Bands.Register(b.AccountId, b.Low, b.High);
            }
        });
        Command<ApplyRoundFlow>(OnRoundFlow);
    }

    /// <inheritdoc />
    public override string PersistenceId { get; }

    private void OnTick(IndexTick t)
    {
        if (t.DeliveryId is { } delivery)
        {
            OnDeliveredTick(t, delivery);
            return;
        }

        var e = _feed.OnIndex(t.TimeMicros, t.Price);
        _lastTime = Math.Max(_lastTime, t.TimeMicros);
        _w.Work.Begin();
        Persist(e, _ =>
        {
            AfterTick(e, t.TimeMicros);
            _w.Work.End();
        });
    }

    private void OnDeliveredTick(IndexTick t, Guid delivery)
    {
        if (_receipts.Contains(delivery))
        {
            Sender.Tell(new FeedTickJournaled(_feed.Symbol, t.TimeMicros, _feed.Index, _feed.Mark, true));
            return;
        }

        var e = _feed.OnIndex(t.TimeMicros, t.Price);
        _lastTime = Math.Max(_lastTime, t.TimeMicros);
        var sender = Sender;
        _w.Work.Begin(2);
        PersistAll(new object[] { e, new CommandApplied(delivery, 0, true, null) }, x =>
        {
            if (x is CommandApplied)
            {
                Remember(delivery);
                sender.Tell(new FeedTickJournaled(_feed.Symbol, t.TimeMicros, _feed.Index, _feed.Mark, false));
            }
            else
            {
                AfterTick(e, t.TimeMicros);
            }

            _w.Work.End();
        });
    }

    private void AfterTick(IndexTickReceived e, long timeMicros)
    {
        Publish();
        _woken.Clear();
        _feed.Bands.Wake(_feed.Mark, _woken);
        _feed.AssetBands.Wake(_feed.Index, _woken);
        var prices = _w.Board.Prices;
        foreach (var id in SortedDistinct(_woken))
        {
            _w.Region.Tell(new MarksChanged(id, prices, timeMicros));
        }

        _w.Coordinator.Tell(new FeedEventJournaled(_feed.Symbol, e));
    }

    private void Remember(Guid delivery)
    {
        if (_receipts.Add(delivery))
        {
            _receiptOrder.Enqueue(delivery);
            while (_receiptOrder.Count > Math.Max(1, _w.ReceiptMemory))
            {
                _receipts.Remove(_receiptOrder.Dequeue());
            }
        }
    }

    private void OnRoundFlow(ApplyRoundFlow f)
    {
        if (f.DeliveryId is { } seen && _receipts.Contains(seen))
        {
            Sender.Tell(new RoundFlowApplied(_feed.Symbol, null, []));
            return;
        }

        // Through an inbox (cluster) the round's time is the coordinator node's clock, which may be behind this feed's
        // last tick or ahead of a tick still on its way; the feed's time only moves forward, so the impact happens at the
        // feed's own current time. In one process the round runs at the tick just applied and its time is kept.
        var time = f.DeliveryId is not null && _lastTime != long.MinValue ? _lastTime : f.TimeMicros;
        if (_feed.OnRoundFlow(f.Round, time, f.NetQuantity) is not { } impact)
        {
            Sender.Tell(new RoundFlowApplied(_feed.Symbol, null, []));
            return;
        }

        _lastTime = Math.Max(_lastTime, time);
        var sender = Sender;
        void AfterImpact()
        {
            Publish();
            _woken.Clear();
            _feed.Bands.Wake(_feed.Mark, _woken);
            sender.Tell(new RoundFlowApplied(_feed.Symbol, impact, SortedDistinct(_woken)));
            _w.Work.End();
        }

        if (f.DeliveryId is not { } delivery)
        {
            _w.Work.Begin();
            Persist(impact, _ => AfterImpact());
            return;
        }

        _w.Work.Begin();
        PersistAll(new object[] { impact, new CommandApplied(delivery, 0, true, null) }, x =>
        {
            if (x is CommandApplied)
            {
                Remember(delivery);
                AfterImpact();
            }
        });
    }

    private void Publish() => _w.Board.Publish(_feed, _isInstrument, _assets);

    private static long[] SortedDistinct(List<long> ids)
    {
        ids.Sort();
        var result = new List<long>(ids.Count);
        foreach (var id in ids)
        {
            if (result.Count == 0 || result[^1] != id)
            {
                result.Add(id);
            }
        }

        return result.ToArray();
    }
}
