using CrossMargin.Actors;
using CrossMargin.Engine.Actors;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;

namespace CrossMargin.Cluster.Node;

/// <summary>A feed event read from the journal (the feed singleton wrote it, on whichever node): fold it and wake local accounts.</summary>
/// <param name="Event">The journaled event.</param>
/// <param name="SequenceNr">Its sequence number in <c>feed-SYMBOL</c>.</param>
internal sealed record FollowedFeedEvent(FeedEvent Event, long SequenceNr);

/// <summary>
/// One per feed symbol on every node: folds the feed's journaled events (read with the live
/// <c>EventsByPersistenceId</c> query, whoever wrote them), publishes the mark and index on the node's
/// <see cref="PriceBoard"/>, and keeps the band index of this node's accounts (they register with it, as with the
/// feed in one process): when a mark leaves an account's band, the account gets <see cref="MarksChanged"/> through the
/// node's router. Never journals anything.
/// </summary>
internal sealed class FeedFollowerActor : ReceiveActor
{
    private readonly PriceFeed _feed;
    private readonly bool _isInstrument;
    private readonly IReadOnlyList<string> _assets;
    private readonly EngineWiring _w;
    private readonly List<long> _woken = new();
    private readonly FeedClock _clock;
    private long _lastSequenceNr;

    public FeedFollowerActor(PriceFeed feed, bool isInstrument, IReadOnlyList<string> assetsPriced, EngineWiring wiring, FeedClock clock)
    {
        _clock = clock;
        _feed = feed;
        _isInstrument = isInstrument;
        _assets = assetsPriced;
        _w = wiring;
        Receive<RegisterBand>(b =>
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
        Receive<FollowedFeedEvent>(OnEvent);
        Receive<GetFollowedSequenceNr>(_ => Sender.Tell(_lastSequenceNr));
    }

    private void OnEvent(FollowedFeedEvent f)
    {
        if (f.SequenceNr <= _lastSequenceNr)
        {
            return; // the follower restarted its query: already folded
        }

        _lastSequenceNr = f.SequenceNr;
        _feed.Recover(f.Event);
        _clock.Observe(f.Event switch
        {
            IndexTickReceived t => t.TimeMicros,
            ImpactApplied i => i.TimeMicros,
            _ => 0L,
        });
        Publish();
        _woken.Clear();
        _feed.Bands.Wake(_feed.Mark, _woken);
        if (f.Event is IndexTickReceived)
        {
            _feed.AssetBands.Wake(_feed.Index, _woken);
        }

        if (_woken.Count == 0)
        {
            return;
        }

        var time = f.Event switch
        {
            IndexTickReceived t => t.TimeMicros,
            ImpactApplied i => i.TimeMicros,
            _ => 0L,
        };
        _woken.Sort();
        var prices = _w.Board.Prices;
        long previous = long.MinValue;
        foreach (var id in _woken)
        {
            if (id != previous)
            {
                _w.Region.Tell(new MarksChanged(id, prices, time));
                previous = id;
            }
        }
    }

    private void Publish() => _w.Board.Publish(_feed, _isInstrument, _assets);
}

/// <summary>Asks a <see cref="FeedFollowerActor"/> for the highest feed sequence number it has folded (a <see cref="long"/>).</summary>
internal sealed record GetFollowedSequenceNr
{
    public static GetFollowedSequenceNr Instance { get; } = new();
}
