using System.Globalization;
using CrossMargin.Actors;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Engine.Actors;

/// <summary>Asks the region for the actor of an account (spawning it if needed); the reply is its <see cref="IActorRef"/>.</summary>
/// <param name="AccountId">Account.</param>
public sealed record WhereIs(long AccountId) : IAccountMessage;

/// <summary>
/// Routes every <see cref="IAccountMessage"/>: account id → shard (<c>id mod shards</c>, non-negative) → the account's
/// child actor, both spawned on demand. The seam a cluster will use later (shards move between nodes, ids never do).
/// A message for an id outside the account directory is refused (commands) or dropped.
/// </summary>
public sealed class AccountRegion : ReceiveActor
{
    /// <summary>Creates the region with <paramref name="shards"/> shards.</summary>
    public AccountRegion(EngineWiring wiring, int shards)
    {
        ArgumentNullException.ThrowIfNull(wiring);
        ArgumentOutOfRangeException.ThrowIfLessThan(shards, 1);
        Receive<IAccountMessage>(m =>
        {
            var name = "shard-" + ShardOf(m.AccountId, shards).ToString(CultureInfo.InvariantCulture);
            var shard = Context.Child(name);
            if (ReferenceEquals(shard, ActorRefs.Nobody))
            {
                shard = Context.ActorOf(Props.Create(() => new AccountShard(wiring)), name);
            }

            shard.Tell(m, Sender);
        });
    }

    /// <summary>The shard of <paramref name="accountId"/> among <paramref name="shards"/>.</summary>
    public static int ShardOf(long accountId, int shards) => (int)(((accountId % shards) + shards) % shards);
}

/// <summary>
/// One shard: spawns an <see cref="AccountActor"/> per account on first message, and runs passivation — an idle account
/// snapshots and sends <see cref="Passivate"/>; the shard stops it, buffers its messages until it has terminated, then
/// starts a fresh incarnation (which recovers from the snapshot) if any arrived. <see cref="HandOffShard"/> stops every
/// account (each snapshots first) and then the shard itself (a cluster node giving the shard up).
/// </summary>
public sealed class AccountShard : ReceiveActor
{
    private readonly EngineWiring _w;
    private readonly Dictionary<long, Queue<(IAccountMessage Message, IActorRef Sender)>> _stopping = new();
    private IActorRef? _handOffReplyTo;
    private int _handedOff;

    /// <summary>Creates the shard.</summary>
    public AccountShard(EngineWiring wiring)
    {
        _w = wiring;
        Receive<HandOffShard>(OnHandOff);
        Receive<IAccountMessage>(m =>
        {
            if (_handOffReplyTo is null)
            {
                Route(m);
            }
        });
        Receive<Passivate>(p =>
        {
            var child = Context.Child(Name(p.AccountId));
            if (!ReferenceEquals(child, ActorRefs.Nobody) && !_stopping.ContainsKey(p.AccountId))
            {
                _stopping[p.AccountId] = new Queue<(IAccountMessage, IActorRef)>();
                Context.Watch(child);
                Context.Stop(child);
            }
        });
        Receive<Terminated>(t =>
        {
            var id = long.Parse(t.ActorRef.Path.Name, NumberStyles.Integer, CultureInfo.InvariantCulture);
            if (_handOffReplyTo is not null)
            {
                _stopping.Remove(id);
                FinishHandOffIfDone();
                return;
            }

            if (_stopping.Remove(id, out var buffered) && buffered.Count > 0)
            {
                var child = Spawn(id);
                foreach (var (message, sender) in buffered)
                {
                    Deliver(child, message, sender);
                }
            }
        });
    }

    private void OnHandOff(HandOffShard h)
    {
        if (_handOffReplyTo is not null)
        {
            return;
        }

        _handOffReplyTo = Sender;
        foreach (var child in Context.Children.ToList())
        {
            var id = long.Parse(child.Path.Name, NumberStyles.Integer, CultureInfo.InvariantCulture);
            _stopping[id] = new Queue<(IAccountMessage, IActorRef)>(); // buffered messages are dropped: the shard is leaving
            Context.Watch(child);
            child.Tell(new HandOff(id, h.Snapshot));
            _handedOff++;
        }

        FinishHandOffIfDone();
    }

    private void FinishHandOffIfDone()
    {
        if (_stopping.Count > 0)
        {
            return;
        }

        _handOffReplyTo!.Tell(new ShardHandedOff(_handedOff));
        Context.Stop(Self);
    }

    private void Route(IAccountMessage m)
    {
        if (!_w.Modes.ContainsKey(m.AccountId))
        {
            switch (m)
            {
                case AccountCommandEnvelope c:
                    Sender.Tell(CommandReply.Refuse(c.Command, $"unknown account {m.AccountId}"));
                    break;
                case PrepareCommand c:
                    Sender.Tell(CommandReply.Refuse(c.Command, $"unknown account {m.AccountId}"));
                    break;
                case WhereIs:
                    Sender.Tell(ActorRefs.Nobody);
                    break;
            }

            return;
        }

        if (_stopping.TryGetValue(m.AccountId, out var buffer))
        {
            buffer.Enqueue((m, Sender));
            return;
        }

        var child = Context.Child(Name(m.AccountId));
        if (ReferenceEquals(child, ActorRefs.Nobody))
        {
            child = Spawn(m.AccountId);
        }

        Deliver(child, m, Sender);
    }

    private static void Deliver(IActorRef child, IAccountMessage m, IActorRef sender)
    {
        if (m is WhereIs)
        {
            sender.Tell(child);
        }
        else
        {
            child.Tell(m, sender);
        }
    }

    private IActorRef Spawn(long id)
    {
        var mode = _w.Modes[id];
        var w = _w;
        return Context.ActorOf(Props.Create(() => new AccountActor(id, mode, w)), Name(id));
    }

    private static string Name(long id) => id.ToString(CultureInfo.InvariantCulture);
}
