namespace CrossMargin.Persistence.Snapshot;

/// <summary>Identifies a snapshot: the stream, the sequence number it covers up to, and when it was taken.</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="SequenceNr">The last event included in the snapshot state.</param>
/// <param name="Timestamp">UTC time the snapshot was taken.</param>
public sealed record SnapshotMetadata(string PersistenceId, long SequenceNr, DateTime Timestamp);

/// <summary>A loaded snapshot: its metadata and state object.</summary>
public sealed record SelectedSnapshot(SnapshotMetadata Metadata, object Snapshot);

/// <summary>Which snapshots a load or delete considers (all bounds inclusive).</summary>
/// <param name="MaxSequenceNr">Upper bound on the sequence number.</param>
/// <param name="MaxTimestamp">Upper bound on the timestamp (UTC).</param>
/// <param name="MinSequenceNr">Lower bound on the sequence number.</param>
/// <param name="MinTimestamp">Lower bound on the timestamp (UTC).</param>
public sealed record SnapshotSelectionCriteria(long MaxSequenceNr, DateTime MaxTimestamp, long MinSequenceNr = 0, DateTime MinTimestamp = default)
{
    /// <summary>Selects the newest snapshot.</summary>
    public static SnapshotSelectionCriteria Latest { get; } = new(long.MaxValue, DateTime.MaxValue);

    /// <summary>Selects nothing (recovery without snapshots).</summary>
    public static SnapshotSelectionCriteria None { get; } = new(0, DateTime.MinValue);

    /// <summary>Criteria with only an upper sequence-number bound.</summary>
    public static SnapshotSelectionCriteria UpTo(long maxSequenceNr) => new(maxSequenceNr, DateTime.MaxValue);

    /// <summary>True when <paramref name="metadata"/> falls inside the bounds.</summary>
    public bool Matches(SnapshotMetadata metadata)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        return metadata.SequenceNr <= MaxSequenceNr && metadata.Timestamp <= MaxTimestamp
            && metadata.SequenceNr >= MinSequenceNr && metadata.Timestamp >= MinTimestamp;
    }
}
