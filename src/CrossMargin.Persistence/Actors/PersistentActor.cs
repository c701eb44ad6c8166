using CrossMargin.Actors;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Snapshot;

namespace CrossMargin.Persistence.Actors;

/// <summary>
/// An event-sourced actor with Akka.Persistence's semantics. Recovery: a recovery permit, then the latest snapshot
/// (<see cref="SnapshotOffer"/>), then the events after it, then <see cref="RecoveryCompleted"/>; commands that arrive
/// meanwhile are stashed. <see cref="Persist{TEvent}"/> stashes new commands until its handler ran;
/// <see cref="PersistAsync{TEvent}"/> does not. At most one journal write is in flight per actor: events persisted
/// meanwhile go together in the next write.
/// </summary>
/// <remarks>
/// A storage failure calls <see cref="OnPersistFailure"/> and stops the actor; a rejection (for example an
/// unregistered event type) calls <see cref="OnPersistRejected"/> and the actor goes on; a recovery failure (such as a
/// corrupt stored event) calls <see cref="OnRecoveryFailure"/> and stops the actor. Prefer an explicit stop message to
/// <c>PoisonPill</c>, which does not wait for pending persists.
/// </remarks>
public abstract partial class PersistentActor : ActorBase
{
    private readonly Persistence _persistence;
    private readonly IStash _internalStash;
    private readonly Queue<Invocation> _pending = new();
    private readonly List<AtomicWrite> _journalBatch = new();
    private readonly object _instance = new();
    private readonly ILoggingAdapter _log;
    private Phase _phase = Phase.WaitingPermit;
    private bool _writeInProgress;
    private bool _holdsPermit;
    private int _pendingStashing;
    private long _nextSequenceNr;

    /// <summary>Binds the actor to its system's <see cref="Persistence"/> extension.</summary>
    protected PersistentActor()
    {
        _persistence = Persistence.Get(Context.System);
        _internalStash = CreateStash();
        _log = Context.GetLogger();
        WriterUuid = Guid.NewGuid().ToString("N");
    }

    private enum Phase
    {
        WaitingPermit,
        Recovering,
        Processing,
        Stopped,
    }

    /// <summary>The stream this actor writes; must be stable across incarnations.</summary>
    public abstract string PersistenceId { get; }

    /// <summary>Sequence number of the last persisted (or recovered) event; 0 when none. Inside a persist handler it is that event's.</summary>
    public long LastSequenceNr { get; private set; }

    /// <summary>Sequence number a snapshot taken now would cover (equals <see cref="LastSequenceNr"/>).</summary>
    public long SnapshotSequenceNr => LastSequenceNr;

    /// <summary>True until <see cref="RecoveryCompleted"/> has been handled.</summary>
    public bool IsRecovering => _phase != Phase.Processing;

    /// <summary>True once recovery has finished.</summary>
    public bool IsRecoveryFinished => _phase == Phase.Processing;

    /// <summary>Identity of this incarnation as a writer (stored in <c>writer_uuid</c>).</summary>
    public string WriterUuid { get; }

    /// <summary>How to recover; override for <see cref="Recovery.None"/> or bounds.</summary>
    public virtual Recovery Recovery => Recovery.Default;

    /// <summary>The configured events-between-snapshots (<c>crossmargin.persistence.snapshot-interval</c>; 0 = never).</summary>
    protected int SnapshotInterval => _persistence.Settings.SnapshotInterval;

    /// <summary>The journal used (for tests and diagnostics).</summary>
    protected IJournal Journal => _persistence.Journal;

    /// <summary>Handles a recovered event, <see cref="SnapshotOffer"/> or <see cref="RecoveryCompleted"/>.</summary>
    protected abstract bool ReceiveRecover(object message);

    /// <summary>Handles a command after recovery.</summary>
    protected abstract bool ReceiveCommand(object message);

    /// <inheritdoc />
    protected sealed override bool Receive(object message) => ReceiveCommand(message);

    /// <summary>
    /// Persists <paramref name="event"/>; <paramref name="handler"/> runs once it is stored, with <c>Sender</c> as at
    /// this call. Commands arriving before the handler ran are stashed and processed afterwards.
    /// </summary>
    protected void Persist<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull
        => Enqueue(new[] { @event }, handler, stashing: true);

    /// <summary>Persists all events atomically (all stored or none); the handler runs per event, in order.</summary>
    protected void PersistAll<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) where TEvent : notnull
        => Enqueue(events.ToArray(), handler, stashing: true);

    /// <summary>Like <see cref="Persist{TEvent}"/> but without stashing: commands keep flowing; handlers still run in order.</summary>
    protected void PersistAsync<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull
        => Enqueue(new[] { @event }, handler, stashing: false);

    /// <summary>Like <see cref="PersistAll{TEvent}"/> without stashing.</summary>
    protected void PersistAllAsync<TEvent>(IEnumerable<TEvent> events, Action<TEvent> handler) where TEvent : notnull
        => Enqueue(events.ToArray(), handler, stashing: false);

    /// <summary>Runs <paramref name="handler"/> after every earlier persist handler, without persisting anything.</summary>
    protected void DeferAsync<TEvent>(TEvent @event, Action<TEvent> handler) where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_pending.Count == 0)
        {
            handler(@event);
            return;
        }

        _pending.Enqueue(new Invocation(@event, e => handler((TEvent)e), Stashing: false, Sender, Deferred: true));
    }

    /// <summary>Saves <paramref name="snapshot"/> at <see cref="SnapshotSequenceNr"/>; replies <see cref="SaveSnapshotSuccess"/> or <see cref="SaveSnapshotFailure"/>.</summary>
    protected void SaveSnapshot(object snapshot)
    {
        var metadata = new SnapshotMetadata(PersistenceId, SnapshotSequenceNr, Context.System.TimeProvider.GetUtcNow().UtcDateTime);
        var self = Self;
        _persistence.SnapshotStore.SaveAsync(metadata, snapshot).ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new SaveSnapshotSuccess(metadata) : new SaveSnapshotFailure(metadata, Cause(t)), self),
            TaskScheduler.Default);
    }

    /// <summary>Deletes this actor's snapshots matching <paramref name="criteria"/>; replies <see cref="DeleteSnapshotsSuccess"/> or <see cref="DeleteSnapshotsFailure"/>.</summary>
    protected void DeleteSnapshots(SnapshotSelectionCriteria criteria)
    {
        var self = Self;
        _persistence.SnapshotStore.DeleteAsync(PersistenceId, criteria).ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new DeleteSnapshotsSuccess(criteria) : new DeleteSnapshotsFailure(criteria, Cause(t)), self),
            TaskScheduler.Default);
    }

    /// <summary>Deletes the snapshot at exactly <paramref name="sequenceNr"/>.</summary>
    protected void DeleteSnapshot(long sequenceNr) => DeleteSnapshots(new SnapshotSelectionCriteria(sequenceNr, DateTime.MaxValue, sequenceNr));

    /// <summary>
    /// Deletes events up to <paramref name="toSequenceNr"/> (≤ <see cref="LastSequenceNr"/>, or <c>long.MaxValue</c> for
    /// all); replies <see cref="DeleteMessagesSuccess"/> or <see cref="DeleteMessagesFailure"/>. The highest sequence
    /// number is kept, so later events continue after it.
    /// </summary>
    protected void DeleteMessages(long toSequenceNr)
    {
        var self = Self;
        if (toSequenceNr != long.MaxValue && toSequenceNr > LastSequenceNr)
        {
            self.Tell(new DeleteMessagesFailure(new ArgumentOutOfRangeException(nameof(toSequenceNr), $"{PersistenceId}: cannot delete up to {toSequenceNr}, beyond the last sequence number {LastSequenceNr}"), toSequenceNr), self);
            return;
        }

        var bound = toSequenceNr == long.MaxValue ? LastSequenceNr : toSequenceNr;
        _persistence.Journal.DeleteMessagesToAsync(PersistenceId, bound).ContinueWith(
            t => self.Tell(t.IsCompletedSuccessfully ? new DeleteMessagesSuccess(toSequenceNr) : new DeleteMessagesFailure(Cause(t), toSequenceNr), self),
            TaskScheduler.Default);
    }

    /// <summary>Called when storing <paramref name="event"/> failed; the actor is stopped right after. Logs by default.</summary>
    protected virtual void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        => _log.Error(cause, "Failed to persist event type [{EventType}] with sequence number [{SequenceNr}] for persistenceId [{PersistenceId}]; stopping", @event.GetType().Name, sequenceNr, PersistenceId);

    /// <summary>Called when the journal rejected <paramref name="event"/> (nothing stored); the actor goes on. Logs a warning by default.</summary>
    protected virtual void OnPersistRejected(Exception cause, object @event, long sequenceNr)
        => _log.Warning("Rejected to persist event type [{EventType}] with sequence number [{SequenceNr}] for persistenceId [{PersistenceId}]: {Reason}", @event.GetType().Name, sequenceNr, PersistenceId, cause.Message);

    /// <summary>Called when recovery failed; the actor is stopped right after. Logs by default.</summary>
    protected virtual void OnRecoveryFailure(Exception reason, object? message = null)
        => _log.Error(reason, "Recovery of persistenceId [{PersistenceId}] failed at sequence number [{SequenceNr}]; stopping", PersistenceId, LastSequenceNr);

    /// <inheritdoc />
    protected override void AroundPreStart()
    {
        base.AroundPreStart();
        RequestRecoveryPermit();
    }

    /// <inheritdoc />
    protected override void AroundPostRestart(Exception cause)
    {
        base.AroundPostRestart(cause);
        RequestRecoveryPermit();
    }

    /// <inheritdoc />
    protected override void AroundPostStop()
    {
        ReleasePermit();
        _phase = Phase.Stopped;
        base.AroundPostStop();
    }

    /// <inheritdoc />
    protected override void AroundPreRestart(Exception cause, object? message)
    {
        ReleasePermit();
        _phase = Phase.Stopped;
        base.AroundPreRestart(cause, message);
    }

    /// <inheritdoc />
    protected override bool AroundReceive(Receive receive, object message)
    {
        if (message is InternalMessage internalMessage)
        {
            if (ReferenceEquals(internalMessage.Instance, _instance) && _phase != Phase.Stopped)
            {
                HandleInternal(internalMessage);
            }

            return true;
        }

        if (_phase != Phase.Processing || _pendingStashing > 0)
        {
            _internalStash.Stash();
            return true;
        }

        var handled = base.AroundReceive(receive, message);
        FlushBatch();
        return handled;
    }

    private void RequestRecoveryPermit()
    {
        var self = Self;
        var instance = _instance;
        _persistence.RecoveryPermitter.AcquireAsync().ContinueWith(_ => self.Tell(new PermitGranted(instance), self), TaskScheduler.Default);
    }

    private static Exception Cause(Task task) => task.Exception?.GetBaseException() ?? new TaskCanceledException("the operation was cancelled");

    private void Enqueue<TEvent>(TEvent[] events, Action<TEvent> handler, bool stashing) where TEvent : notnull
    {
        ArgumentNullException.ThrowIfNull(handler);
        if (_phase != Phase.Processing)
        {
            throw new InvalidOperationException($"{PersistenceId}: Persist may not be called during recovery");
        }

        if (events.Length == 0)
        {
            return;
        }

        var reprs = new PersistentRepr[events.Length];
        for (var i = 0; i < events.Length; i++)
        {
            reprs[i] = events[i] is Tagged tagged
                ? new PersistentRepr(PersistenceId, ++_nextSequenceNr, tagged.Payload, WriterUuid, tagged.Tags)
                : new PersistentRepr(PersistenceId, ++_nextSequenceNr, events[i], WriterUuid);
            _pending.Enqueue(new Invocation(events[i], e => handler((TEvent)e), stashing, Sender, Deferred: false));
            if (stashing)
            {
                _pendingStashing++;
            }
        }

        _journalBatch.Add(new AtomicWrite(reprs));
    }

    private void FlushBatch()
    {
        if (_writeInProgress || _journalBatch.Count == 0 || _phase != Phase.Processing)
        {
            return;
        }

        // One write in flight: take what queued up to the batch cap; the rest waits for this write to finish.
        var cap = Math.Max(1, _persistence.Settings.MaxMessageBatchSize);
        var take = 0;
        var events = 0;
        while (take < _journalBatch.Count && (take == 0 || events + _journalBatch[take].Events.Count <= cap))
        {
            events += _journalBatch[take].Events.Count;
            take++;
        }

        var batch = _journalBatch.GetRange(0, take);
        _journalBatch.RemoveRange(0, take);

        _writeInProgress = true;
        var self = Self;
        var instance = _instance;
        _persistence.Journal.WriteMessagesAsync(batch).ContinueWith(
            t => self.Tell(new WriteCompleted(instance, batch, t.IsCompletedSuccessfully ? t.Result : null, t.IsCompletedSuccessfully ? null : Cause(t)), self),
            TaskScheduler.Default);
    }

    private void ReleasePermit()
    {
        if (_holdsPermit)
        {
            _holdsPermit = false;
            _persistence.RecoveryPermitter.Release();
        }
    }
}
