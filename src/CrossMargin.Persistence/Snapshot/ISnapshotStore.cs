namespace CrossMargin.Persistence.Snapshot;

/// <summary>The snapshot-store contract (Akka.Persistence's <c>SnapshotStore</c>). Thread-safe.</summary>
public interface ISnapshotStore : IAsyncDisposable
{
    /// <summary>The newest snapshot of <paramref name="persistenceId"/> matching <paramref name="criteria"/>, or null.</summary>
    /// <exception cref="Serialization.EventDeserializationException">The stored snapshot cannot be read.</exception>
    Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);

    /// <summary>Stores <paramref name="snapshot"/>, replacing one with the same persistence id and sequence number.</summary>
    Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default);

    /// <summary>Deletes the snapshot at exactly <paramref name="metadata"/>'s persistence id and sequence number.</summary>
    Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default);

    /// <summary>Deletes every snapshot of <paramref name="persistenceId"/> matching <paramref name="criteria"/>.</summary>
    Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default);
}
