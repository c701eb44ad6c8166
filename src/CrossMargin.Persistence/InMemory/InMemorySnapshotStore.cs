using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;

namespace CrossMargin.Persistence.InMemory;

/// <summary>A snapshot store in process memory; snapshots are serialized like the SQL stores do. Thread-safe.</summary>
public sealed class InMemorySnapshotStore : ISnapshotStore
{
    private readonly object _gate = new();
    private readonly Dictionary<string, SortedList<long, (SnapshotMetadata Meta, SerializedPayload Payload)>> _byId = new(StringComparer.Ordinal);
    private readonly EventSerializer _serializer;

    /// <summary>Creates an empty store.</summary>
    public InMemorySnapshotStore(EventSerializer serializer)
    {
        _serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
    }

    /// <inheritdoc />
    public Task<SelectedSnapshot?> LoadAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        lock (_gate)
        {
            if (_byId.TryGetValue(persistenceId, out var list))
            {
                for (var i = list.Count - 1; i >= 0; i--)
                {
                    var (meta, payload) = list.Values[i];
                    if (criteria.Matches(meta))
                    {
                        var state = _serializer.Deserialize(meta.PersistenceId, meta.SequenceNr, payload.Manifest, payload.SerializerId, payload.Payload);
                        return Task.FromResult<SelectedSnapshot?>(new SelectedSnapshot(meta, state));
                    }
                }
            }
        }

        return Task.FromResult<SelectedSnapshot?>(null);
    }

    /// <inheritdoc />
    public Task SaveAsync(SnapshotMetadata metadata, object snapshot, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        var payload = _serializer.Serialize(snapshot);
        lock (_gate)
        {
            if (!_byId.TryGetValue(metadata.PersistenceId, out var list))
            {
                list = new SortedList<long, (SnapshotMetadata, SerializedPayload)>();
                _byId.Add(metadata.PersistenceId, list);
            }

            list[metadata.SequenceNr] = (metadata, payload);
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(SnapshotMetadata metadata, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        lock (_gate)
        {
            if (_byId.TryGetValue(metadata.PersistenceId, out var list))
            {
                list.Remove(metadata.SequenceNr);
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task DeleteAsync(string persistenceId, SnapshotSelectionCriteria criteria, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(criteria);
        lock (_gate)
        {
            if (_byId.TryGetValue(persistenceId, out var list))
            {
                foreach (var key in list.Where(kv => criteria.Matches(kv.Value.Meta)).Select(kv => kv.Key).ToList())
                {
                    list.Remove(key);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
