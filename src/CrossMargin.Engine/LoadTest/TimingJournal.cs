using CrossMargin.Persistence.Journal;

namespace CrossMargin.Engine.LoadTest;

/// <summary>
/// Wraps a journal and times every batch write: write latency (call → durable) and lag (the moment the batch began
/// filling — the previous hand-off — → durable, i.e. how long the oldest event of the batch waited). Thread-safe.
/// </summary>
public sealed class TimingJournal : IJournal
{
    private readonly IJournal _inner;
    private readonly ILoadClock _clock;
    private readonly object _gate = new();
    private long _lastHandOff;

    /// <summary>Wraps <paramref name="inner"/>; times are read from <paramref name="clock"/> (<see cref="ILoadClock.PeekNanos"/>: timing a write is not engine work).</summary>
    public TimingJournal(IJournal inner, ILoadClock clock)
    {
        _inner = inner ?? throw new ArgumentNullException(nameof(inner));
        _clock = clock ?? throw new ArgumentNullException(nameof(clock));
        _lastHandOff = clock.PeekNanos;
    }

    /// <summary>Batch write latency, ns. Read after the writes completed (or under your own synchronisation).</summary>
    public LatencyHistogram WriteLatency { get; } = new();

    /// <summary>Oldest event's wait from batch start to durable, ns.</summary>
    public LatencyHistogram Lag { get; } = new();

    /// <summary>Events written.</summary>
    public long Rows { get; private set; }

    /// <summary>Batches written.</summary>
    public long Batches { get; private set; }

    /// <summary>Forgets the writes so far (the setup's) and marks now as the start of the next batch; call with no write in flight.</summary>
    public void Reset()
    {
        lock (_gate)
        {
            WriteLatency.Reset();
            Lag.Reset();
            Rows = 0;
            Batches = 0;
        }

        Interlocked.Exchange(ref _lastHandOff, _clock.PeekNanos);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(writes);
        var begin = _clock.PeekNanos;
        var filling = Interlocked.Exchange(ref _lastHandOff, begin);
        var result = await _inner.WriteMessagesAsync(writes, cancellationToken).ConfigureAwait(false);
        var end = _clock.PeekNanos;
        var rows = 0L;
        foreach (var w in writes)
        {
            rows += w.Events.Count;
        }

        lock (_gate)
        {
            WriteLatency.Record(end - begin);
            Lag.Record(end - filling);
            Rows += rows;
            Batches++;
        }

        return result;
    }

    /// <inheritdoc />
    public Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default) =>
        _inner.ReplayMessagesAsync(persistenceId, fromSequenceNr, toSequenceNr, max, onEvent, cancellationToken);

    /// <inheritdoc />
    public Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default) =>
        _inner.ReadHighestSequenceNrAsync(persistenceId, fromSequenceNr, cancellationToken);

    /// <inheritdoc />
    public Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default) =>
        _inner.DeleteMessagesToAsync(persistenceId, toSequenceNr, cancellationToken);

    /// <inheritdoc />
    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
