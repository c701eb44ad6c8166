using CrossMargin.Actors;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Snapshot;

namespace CrossMargin.Persistence.Actors;

/// <content>Recovery and write-completion handling: messages the actor sends itself from journal callbacks.</content>
public abstract partial class PersistentActor
{
    private const int ReplayChunk = 512;

    private void HandleInternal(InternalMessage message)
    {
        switch (message)
        {
            case PermitGranted:
                _holdsPermit = true;
                _phase = Phase.Recovering;
                StartRecovery();
                break;
            case SnapshotLoaded loaded:
                OnSnapshotLoaded(loaded);
                break;
            case Replayed replayed:
                OnReplayed(replayed);
                break;
            case ReplayFinished finished:
                OnReplayFinished(finished);
                break;
            case WriteCompleted completed:
                OnWriteCompleted(completed);
                break;
        }
    }

    private void StartRecovery()
    {
        var self = Self;
        var instance = _instance;
        var recovery = Recovery;
        if (recovery.ToSequenceNr == 0 && recovery.ReplayMax == 0)
        {
            // Recovery.None: no snapshot, no replay, but sequence numbers continue after the stored highest.
            _persistence.Journal.ReadHighestSequenceNrAsync(PersistenceId).ContinueWith(
                t => self.Tell(t.IsCompletedSuccessfully ? new ReplayFinished(instance, t.Result, null) : new ReplayFinished(instance, 0, Cause(t)), self),
                TaskScheduler.Default);
            return;
        }

        // Snapshot load and replay run as one background flow that only sends messages: the actor receives
        // SnapshotLoaded, then the Replayed chunks, then ReplayFinished, in that order (one sender, one mailbox),
        // without a round trip through the mailbox between loading the snapshot and starting the replay.
        // Task.Run: stores may complete synchronously (SQLite, in-memory), and the actor's turn must not block on I/O.
        var persistence = _persistence;
        var pid = PersistenceId;
        _ = Task.Run(() => RecoverInBackgroundAsync(self, instance, persistence, pid, recovery));
    }

    private static async Task RecoverInBackgroundAsync(IActorRef self, object instance, Persistence persistence, string pid, Recovery recovery)
    {
        long from = 1;
        try
        {
            var snapshot = await persistence.SnapshotStore.LoadAsync(pid, recovery.FromSnapshot).ConfigureAwait(false);
            if (snapshot is not null)
            {
                // No snapshot, no message: the actor has nothing to do until the events arrive.
                self.Tell(new SnapshotLoaded(instance, snapshot, null), self);
                from = snapshot.Metadata.SequenceNr + 1;
            }
        }
        catch (Exception e)
        {
            self.Tell(new SnapshotLoaded(instance, null, e), self);
            return;
        }

        try
        {
            // One journal call reads the events and the highest sequence number (one query on SQL journals).
            // Events go to the actor in chunks; the first chunk is sized for the common short stream.
            List<PersistentRepr>? chunk = null;
            var highest = await persistence.Journal.ReplayAndReadHighestAsync(pid, from, recovery.ToSequenceNr, recovery.ReplayMax, e =>
            {
                chunk ??= new List<PersistentRepr>(16);
                chunk.Add(e);
                if (chunk.Count == ReplayChunk)
                {
                    self.Tell(new Replayed(instance, chunk.ToArray()), self);
                    chunk.Clear();
                }
            }).ConfigureAwait(false);
            // The last chunk travels with ReplayFinished: a short stream is recovered with one message.
            var tail = chunk is { Count: > 0 } ? chunk.ToArray() : null;
            self.Tell(new ReplayFinished(instance, highest, null, tail), self);
        }
        catch (Exception e)
        {
            self.Tell(new ReplayFinished(instance, 0, e), self);
        }
    }

    private void OnSnapshotLoaded(SnapshotLoaded loaded)
    {
        if (_phase != Phase.Recovering)
        {
            return;
        }

        if (loaded.Error is not null)
        {
            FailRecovery(loaded.Error, null);
            return;
        }

        if (loaded.Snapshot is { } snapshot)
        {
            LastSequenceNr = snapshot.Metadata.SequenceNr;
            TryRecover(new SnapshotOffer(snapshot.Metadata, snapshot.Snapshot));
        }
    }

    private void OnReplayed(Replayed replayed) => ApplyReplayed(replayed.Events);

    private void ApplyReplayed(PersistentRepr[] events)
    {
        foreach (var e in events)
        {
            if (_phase != Phase.Recovering)
            {
                return;
            }

            LastSequenceNr = e.SequenceNr;
            if (!TryRecover(e.Payload))
            {
                return;
            }
        }
    }

    private void OnReplayFinished(ReplayFinished finished)
    {
        if (finished.Tail is { } tail)
        {
            ApplyReplayed(tail);
        }

        if (_phase != Phase.Recovering)
        {
            return;
        }

        if (finished.Error is not null)
        {
            FailRecovery(finished.Error, null);
            return;
        }

        LastSequenceNr = Math.Max(LastSequenceNr, finished.Highest);
        if (!TryRecover(RecoveryCompleted.Instance))
        {
            return;
        }

        ReleasePermit();
        _nextSequenceNr = LastSequenceNr;
        _phase = Phase.Processing;
        _internalStash.UnstashAll();
    }

    private bool TryRecover(object message)
    {
        try
        {
            ReceiveRecover(message);
            return true;
        }
        catch (Exception e)
        {
            FailRecovery(e, message);
            return false;
        }
    }

    private void FailRecovery(Exception reason, object? message)
    {
        _phase = Phase.Stopped;
        ReleasePermit();
        try
        {
            OnRecoveryFailure(reason, message);
        }
        finally
        {
            StopSelf();
        }
    }

    private void OnWriteCompleted(WriteCompleted completed)
    {
        _writeInProgress = false;
        for (var i = 0; i < completed.Batch.Count; i++)
        {
            var write = completed.Batch[i];
            var result = completed.Error is not null ? WriteResult.Failed(completed.Error) : completed.Results![i];
            foreach (var repr in write.Events)
            {
                var invocation = NextInvocation();
                LastSequenceNr = repr.SequenceNr;
                switch (result.Outcome)
                {
                    case WriteOutcome.Success:
                        RestoreSender(invocation.Sender);
                        invocation.Handler(invocation.Event);
                        break;
                    case WriteOutcome.Rejected:
                        OnPersistRejected(result.Error!, repr.Payload, repr.SequenceNr);
                        break;
                    default:
                        _phase = Phase.Stopped;
                        try
                        {
                            OnPersistFailure(result.Error!, repr.Payload, repr.SequenceNr);
                        }
                        finally
                        {
                            StopSelf();
                        }

                        return;
                }

                if (invocation.Stashing)
                {
                    _pendingStashing--;
                }

                RunDeferred();
            }
        }

        if (_pendingStashing == 0)
        {
            _internalStash.UnstashAll();
        }

        FlushBatch();
    }

    private Invocation NextInvocation()
    {
        var invocation = _pending.Dequeue();
        while (invocation.Deferred)
        {
            RestoreSender(invocation.Sender);
            invocation.Handler(invocation.Event);
            invocation = _pending.Dequeue();
        }

        return invocation;
    }

    private void RunDeferred()
    {
        while (_pending.TryPeek(out var next) && next.Deferred)
        {
            _pending.Dequeue();
            RestoreSender(next.Sender);
            next.Handler(next.Event);
        }
    }

    private sealed record Invocation(object Event, Action<object> Handler, bool Stashing, IActorRef Sender, bool Deferred);

    private abstract record InternalMessage(object Instance);

    private sealed record PermitGranted(object Instance) : InternalMessage(Instance);

    private sealed record SnapshotLoaded(object Instance, SelectedSnapshot? Snapshot, Exception? Error) : InternalMessage(Instance);

    private sealed record Replayed(object Instance, PersistentRepr[] Events) : InternalMessage(Instance);

    private sealed record ReplayFinished(object Instance, long Highest, Exception? Error, PersistentRepr[]? Tail = null) : InternalMessage(Instance);

    private sealed record WriteCompleted(object Instance, List<AtomicWrite> Batch, IReadOnlyList<WriteResult>? Results, Exception? Error) : InternalMessage(Instance);
}
