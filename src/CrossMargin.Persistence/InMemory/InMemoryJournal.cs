using System.Runtime.CompilerServices;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.InMemory;

/// <summary>
/// A journal and read journal held in process memory, for tests and throw-away runs. Payloads go through the
/// <see cref="EventSerializer"/> exactly as in the SQL plugins, so rejections and upcasting behave the same.
/// </summary>
/// <remarks>Thread-safe; one lock guards the store, so writes are serialized and orderings never have gaps in flight.</remarks>
public sealed class InMemoryJournal : IJournal, IReadJournal
{
    private readonly Storage _storage;
    private readonly EventSerializer _serializer;
    private readonly TimeProvider _clock;

    /// <summary>Creates an empty journal.</summary>
    public InMemoryJournal(EventSerializer serializer, TimeProvider? clock = null, TimeSpan? refreshInterval = null)
        : this(new Storage(), serializer, clock, refreshInterval)
    {
    }

    private InMemoryJournal(Storage storage, EventSerializer serializer, TimeProvider? clock, TimeSpan? refreshInterval)
    {
        _storage = storage;
        _serializer = serializer ?? throw new ArgumentNullException(nameof(serializer));
        _clock = clock ?? TimeProvider.System;
        RefreshInterval = refreshInterval ?? TimeSpan.FromSeconds(1);
    }

    private object _gate => _storage.Gate;

    private List<(long Ordering, SerializedEvent Row)> _all => _storage.All;

    private Dictionary<string, SortedList<long, (long Ordering, SerializedEvent Row)>> _streams => _storage.Streams;

    private Dictionary<string, long> _highest => _storage.Highest;

    private ChangeSignal _changed => _storage.Changed;

    /// <summary>How often live queries poll when not woken by a write.</summary>
    public TimeSpan RefreshInterval { get; }

    /// <inheritdoc />
    public Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var results = new WriteResult[writes.Count];
        var created = _clock.GetUtcNow().UtcTicks;
        for (var i = 0; i < writes.Count; i++)
        {
            SerializedEvent[] rows;
            try
            {
                rows = JournalRows.Serialize(writes[i], _serializer, created);
            }
            catch (EventSerializationException e)
            {
                results[i] = WriteResult.Rejected(e);
                continue;
            }

            results[i] = Store(writes[i], rows);
        }

        _changed.Pulse();
        return Task.FromResult<IReadOnlyList<WriteResult>>(results);
    }

    /// <inheritdoc />
    public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        foreach (var row in Range(persistenceId, fromSequenceNr, toSequenceNr, max))
        {
            cancellationToken.ThrowIfCancellationRequested();
            onEvent(JournalRows.ToRepr(row.Row, _serializer));
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_highest.GetValueOrDefault(persistenceId));
        }
    }

    /// <inheritdoc />
    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_streams.TryGetValue(persistenceId, out var stream))
            {
                var doomed = stream.Where(kv => kv.Key <= toSequenceNr).Select(kv => kv.Value.Ordering).ToHashSet();
                foreach (var seq in stream.Keys.Where(s => s <= toSequenceNr).ToList())
                {
                    stream.Remove(seq);
                }

                _all.RemoveAll(entry => doomed.Contains(entry.Ordering));
            }
        }

        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr, CancellationToken cancellationToken = default)
        => QueryPaging.BySequence((f, t, n, _) => Task.FromResult(PageBySequence(persistenceId, f, t, n)), fromSequenceNr, toSequenceNr, 500, false, _changed, RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr, CancellationToken cancellationToken = default)
        => QueryPaging.BySequence((f, t, n, _) => Task.FromResult(PageBySequence(persistenceId, f, t, n)), fromSequenceNr, toSequenceNr, 500, true, _changed, RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> CurrentEventsByTag(string tag, long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, _) => Task.FromResult(PageByOrdering(tag, o, n)), offset, 500, false, _changed, RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> EventsByTag(string tag, long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, _) => Task.FromResult(PageByOrdering(tag, o, n)), offset, 500, true, _changed, RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> CurrentAllEvents(long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, _) => Task.FromResult(PageByOrdering(null, o, n)), offset, 500, false, _changed, RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public IAsyncEnumerable<EventEnvelope> AllEvents(long offset, CancellationToken cancellationToken = default)
        => QueryPaging.ByOrdering((o, n, _) => Task.FromResult(PageByOrdering(null, o, n)), offset, 500, true, _changed, RefreshInterval, cancellationToken);

    /// <inheritdoc />
    public async IAsyncEnumerable<string> CurrentPersistenceIds([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        string[] ids;
        lock (_gate)
        {
            ids = _streams.Where(kv => kv.Value.Count > 0).Select(kv => kv.Key).ToArray();
        }

        foreach (var id in ids)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return id;
        }

        await Task.CompletedTask.ConfigureAwait(false);
    }

    /// <summary>
    /// A second journal over the same stored events with another serializer: simulates a restart after event
    /// types changed (used to test upcasting).
    /// </summary>
    public InMemoryJournal Reopen(EventSerializer serializer) => new(_storage, serializer, _clock, RefreshInterval);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private WriteResult Store(AtomicWrite write, SerializedEvent[] rows)
    {
        lock (_gate)
        {
            if (!_streams.TryGetValue(write.PersistenceId, out var stream))
            {
                stream = new SortedList<long, (long, SerializedEvent)>();
                _streams.Add(write.PersistenceId, stream);
            }

            var highest = _highest.GetValueOrDefault(write.PersistenceId);
            if (write.LowestSequenceNr <= highest)
            {
                return WriteResult.Failed(new DuplicateSequenceNumberException(write.PersistenceId, write.LowestSequenceNr, write.HighestSequenceNr, null));
            }

            foreach (var row in rows)
            {
                var entry = (++_storage.Ordering, row);
                stream.Add(row.SequenceNr, entry);
                _all.Add(entry);
            }

            _highest[write.PersistenceId] = write.HighestSequenceNr;
            return WriteResult.Success;
        }
    }

    private List<(long Ordering, SerializedEvent Row)> Range(string persistenceId, long from, long to, long max)
    {
        var result = new List<(long, SerializedEvent)>();
        lock (_gate)
        {
            if (!_streams.TryGetValue(persistenceId, out var stream))
            {
                return result;
            }

            foreach (var kv in stream)
            {
                if (result.Count >= max || kv.Key > to)
                {
                    break;
                }

                if (kv.Key >= from)
                {
                    result.Add(kv.Value);
                }
            }
        }

        return result;
    }

    private IReadOnlyList<EventEnvelope> PageBySequence(string persistenceId, long from, long to, int limit)
        => Range(persistenceId, from, to, limit).Select(r => JournalRows.ToEnvelope(r.Ordering, r.Row, _serializer)).ToList();

    private IReadOnlyList<EventEnvelope> PageByOrdering(string? tag, long afterOrdering, int limit)
    {
        var rows = new List<(long Ordering, SerializedEvent Row)>();
        lock (_gate)
        {
            var start = LowerBound(afterOrdering + 1);
            for (var i = start; i < _all.Count && rows.Count < limit; i++)
            {
                if (tag is null || _all[i].Row.Tags.Contains(tag))
                {
                    rows.Add(_all[i]);
                }
            }
        }

        return rows.Select(r => JournalRows.ToEnvelope(r.Ordering, r.Row, _serializer)).ToList();
    }

    private int LowerBound(long ordering)
    {
        int lo = 0, hi = _all.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (_all[mid].Ordering < ordering)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private sealed class Storage
    {
        public object Gate { get; } = new();

        public List<(long Ordering, SerializedEvent Row)> All { get; } = new();

        public Dictionary<string, SortedList<long, (long Ordering, SerializedEvent Row)>> Streams { get; } = new(StringComparer.Ordinal);

        public Dictionary<string, long> Highest { get; } = new(StringComparer.Ordinal);

        public ChangeSignal Changed { get; } = new();

        public long Ordering;
    }
}
