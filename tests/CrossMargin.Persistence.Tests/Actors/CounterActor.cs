using CrossMargin.Actors;
using CrossMargin.Persistence.Actors;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Tests.Actors;

public sealed record Add(int Amount);

public sealed record AddAsync(int Amount);

public sealed record AddMany(int[] Amounts);

public sealed record AddUnserializable;

public sealed record AddThenDefer(int Amount);

public sealed record GetState;

public sealed record AddTagged(int Amount, string Tag);

public sealed record TakeSnapshot;

public sealed record DeleteUpTo(long SequenceNr);

public sealed record Added(int Amount);

public sealed record CounterSnapshot(int Total);

public sealed record Acked(long SequenceNr, int Total);

public sealed record State(int Total, long LastSequenceNr, IReadOnlyList<string> Recovered);

public sealed record Unregistered(int Value);

public sealed record Rejected(long SequenceNr, string Reason);

public sealed record RecoveryFailed(string PersistenceId, Exception Reason);

public sealed record Recovered(string PersistenceId, int Total, long LastSequenceNr);

/// <summary>A persistent counter that reports what it does to <c>monitor</c>.</summary>
public sealed class CounterActor : ReceivePersistentActor
{
    private readonly string _persistenceId;
    private readonly IActorRef _monitor;
    private readonly List<string> _recovered = new();
    private int _total;

    public CounterActor(string persistenceId, IActorRef monitor)
    {
        _persistenceId = persistenceId;
        _monitor = monitor;

        Recover<SnapshotOffer>(offer =>
        {
            _total = ((CounterSnapshot)offer.Snapshot).Total;
            _recovered.Add($"snapshot@{offer.Metadata.SequenceNr}");
        });
        Recover<Added>(e =>
        {
            _total += e.Amount;
            _recovered.Add($"event@{LastSequenceNr}");
        });
        Recover<RecoveryCompleted>(_ => _monitor.Tell(new Recovered(PersistenceId, _total, LastSequenceNr)));

        Command<Add>(c => Persist(new Added(c.Amount), e =>
        {
            _total += e.Amount;
            Sender.Tell(new Acked(LastSequenceNr, _total));
        }));
        Command<AddAsync>(c => PersistAsync(new Added(c.Amount), e =>
        {
            _total += e.Amount;
            Sender.Tell(new Acked(LastSequenceNr, _total));
        }));
        Command<AddMany>(c => PersistAll(c.Amounts.Select(a => new Added(a)), e =>
        {
            _total += e.Amount;
            Sender.Tell(new Acked(LastSequenceNr, _total));
        }));
        Command<AddThenDefer>(c =>
        {
            PersistAsync(new Added(c.Amount), e => _total += e.Amount);
            DeferAsync("deferred", d => Sender.Tell($"{d}:{_total}"));
        });
        Command<AddUnserializable>(_ => Persist(new Unregistered(1), _ => Sender.Tell("must not run")));
        Command<AddTagged>(c => Persist(new Tagged(new Added(c.Amount), new[] { c.Tag }), e =>
        {
            _total += ((Added)e.Payload).Amount;
            Sender.Tell(new Acked(LastSequenceNr, _total));
        }));
        Command<GetState>(_ => Sender.Tell(new State(_total, LastSequenceNr, _recovered.ToArray())));
        Command<TakeSnapshot>(_ => SaveSnapshot(new CounterSnapshot(_total)));
        Command<SaveSnapshotSuccess>(s => _monitor.Tell(s));
        Command<DeleteUpTo>(d => DeleteMessages(d.SequenceNr));
        Command<DeleteMessagesSuccess>(s => _monitor.Tell(s));
        Command<DeleteMessagesFailure>(f => _monitor.Tell(f));
    }

    public override string PersistenceId => _persistenceId;

    public static EventSerializer Serializer() => new EventSerializer()
        .Register<Added>("added", 1)
        .Register<CounterSnapshot>("counter-snapshot", 1);

    public static Props Props(string persistenceId, IActorRef monitor) => CrossMargin.Actors.Props.Create(() => new CounterActor(persistenceId, monitor));

    protected override void OnPersistRejected(Exception cause, object @event, long sequenceNr)
    {
        base.OnPersistRejected(cause, @event, sequenceNr);
        _monitor.Tell(new Rejected(sequenceNr, cause.Message));
    }

    protected override void OnRecoveryFailure(Exception reason, object? message = null)
    {
        base.OnRecoveryFailure(reason, message);
        _monitor.Tell(new RecoveryFailed(PersistenceId, reason));
    }
}
