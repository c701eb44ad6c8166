using CrossMargin.Persistence.Snapshot;

namespace CrossMargin.Persistence.Actors;

/// <summary>Delivered to the recover handler once recovery has finished, even when the journal was empty.</summary>
public sealed class RecoveryCompleted
{
    private RecoveryCompleted()
    {
    }

    /// <summary>The single instance.</summary>
    public static RecoveryCompleted Instance { get; } = new();

    /// <inheritdoc />
    public override string ToString() => "<RecoveryCompleted>";
}

/// <summary>Delivered to the recover handler first when a snapshot was found; the replay continues after its sequence number.</summary>
/// <param name="Metadata">Which snapshot.</param>
/// <param name="Snapshot">The saved state.</param>
public sealed record SnapshotOffer(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Reply to <c>SaveSnapshot</c>: stored.</summary>
public sealed record SaveSnapshotSuccess(SnapshotMetadata Metadata);

/// <summary>Reply to <c>SaveSnapshot</c>: not stored.</summary>
public sealed record SaveSnapshotFailure(SnapshotMetadata Metadata, Exception Cause);

/// <summary>Reply to <c>DeleteSnapshots</c>/<c>DeleteSnapshot</c>: deleted.</summary>
public sealed record DeleteSnapshotsSuccess(SnapshotSelectionCriteria Criteria);

/// <summary>Reply to <c>DeleteSnapshots</c>/<c>DeleteSnapshot</c>: failed.</summary>
public sealed record DeleteSnapshotsFailure(SnapshotSelectionCriteria Criteria, Exception Cause);

/// <summary>Reply to <c>DeleteMessages</c>: events up to <paramref name="ToSequenceNr"/> deleted.</summary>
public sealed record DeleteMessagesSuccess(long ToSequenceNr);

/// <summary>Reply to <c>DeleteMessages</c>: failed (or the bound was above <c>LastSequenceNr</c>).</summary>
public sealed record DeleteMessagesFailure(Exception Cause, long ToSequenceNr);

/// <summary>How a persistent actor recovers.</summary>
/// <param name="FromSnapshot">Which snapshot to start from (<see cref="SnapshotSelectionCriteria.None"/>: replay everything).</param>
/// <param name="ToSequenceNr">Replay up to this sequence number.</param>
/// <param name="ReplayMax">Replay at most this many events.</param>
public sealed record Recovery(SnapshotSelectionCriteria FromSnapshot, long ToSequenceNr = long.MaxValue, long ReplayMax = long.MaxValue)
{
    /// <summary>Latest snapshot, then every later event.</summary>
    public static Recovery Default { get; } = new(SnapshotSelectionCriteria.Latest);

    /// <summary>No recovery at all: start empty (sequence numbers still continue after the stored highest).</summary>
    public static Recovery None { get; } = new(SnapshotSelectionCriteria.Latest, 0, 0);
}
