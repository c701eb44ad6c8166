namespace CrossMargin.Persistence.Journal;

/// <summary>
/// The write and replay contract every journal plugin implements (Akka.Persistence's <c>AsyncWriteJournal</c>).
/// </summary>
/// <remarks>
/// Thread-safe: many writers call concurrently. Each <see cref="AtomicWrite"/> is all-or-nothing; a batch of
/// several is only a performance device and may partly succeed. The highest sequence number of a stream never
/// decreases, even after <see cref="DeleteMessagesToAsync"/> removed every event.
/// </remarks>
public interface IJournal : IAsyncDisposable
{
    /// <summary>Stores the writes; one result per write, in input order.</summary>
    /// <remarks>The task completes only when every successful write is durable.</remarks>
    Task<IReadOnlyList<WriteResult>> WriteMessagesAsync(IReadOnlyList<AtomicWrite> writes, CancellationToken cancellationToken = default);

    /// <summary>
    /// Calls <paramref name="onEvent"/> for each stored, non-deleted event of <paramref name="persistenceId"/> with
    /// sequence number in [<paramref name="fromSequenceNr"/>, <paramref name="toSequenceNr"/>], ascending, at most
    /// <paramref name="max"/> of them. The callback runs on the replaying thread, one event at a time.
    /// </summary>
    /// <exception cref="Serialization.EventDeserializationException">A stored payload cannot be read; names the persistence id and sequence number.</exception>
    Task ReplayMessagesAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default);

    /// <summary>The highest sequence number ever stored for the stream (0 if none), counting deleted events.</summary>
    Task<long> ReadHighestSequenceNrAsync(string persistenceId, long fromSequenceNr = 0, CancellationToken cancellationToken = default);

    /// <summary>
    /// Recovery in one call: replays like <see cref="ReplayMessagesAsync"/> (bounded by the highest sequence number
    /// read at the start) and returns the highest sequence number ever stored for the stream (0 if none), as
    /// <see cref="ReadHighestSequenceNrAsync"/> would. Events above the returned highest are never delivered.
    /// </summary>
    /// <remarks>
    /// The default reads the highest first and then replays. SQL journals override it to read both with one query on
    /// a prepared statement when the stream has events from <paramref name="fromSequenceNr"/> on, which is what makes
    /// recovering many short streams fast.
    /// </remarks>
    /// <exception cref="Serialization.EventDeserializationException">A stored payload cannot be read; names the persistence id and sequence number.</exception>
    async Task<long> ReplayAndReadHighestAsync(string persistenceId, long fromSequenceNr, long toSequenceNr, long max, Action<PersistentRepr> onEvent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onEvent);
        var highest = await ReadHighestSequenceNrAsync(persistenceId, Math.Max(0, fromSequenceNr - 1), cancellationToken).ConfigureAwait(false);
        var to = Math.Min(toSequenceNr, highest);
        if (to >= fromSequenceNr && max > 0)
        {
            await ReplayMessagesAsync(persistenceId, fromSequenceNr, to, max, onEvent, cancellationToken).ConfigureAwait(false);
        }

        return highest;
    }

    /// <summary>Permanently deletes events with sequence number ≤ <paramref name="toSequenceNr"/>; the highest sequence number is kept.</summary>
    Task DeleteMessagesToAsync(string persistenceId, long toSequenceNr, CancellationToken cancellationToken = default);
}
