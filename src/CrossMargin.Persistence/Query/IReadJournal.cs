namespace CrossMargin.Persistence.Query;

/// <summary>
/// Persistence queries (Akka.Persistence.Query). <c>Current*</c> forms end at the data stored when they reach it;
/// live forms never end and pick up new events (cancel the token to stop).
/// </summary>
/// <remarks>
/// Offsets are the global <c>ordering</c> and are exclusive: pass the last seen <see cref="EventEnvelope.Offset"/>
/// to resume, 0 to start at the beginning. Ordering-based queries are gap-safe: an event is never skipped because
/// its transaction committed after a later one (see docs/persistence.md).
/// </remarks>
public interface IReadJournal
{
    /// <summary>Stored events of one stream in sequence-number order within [from, to].</summary>
    IAsyncEnumerable<EventEnvelope> CurrentEventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr, CancellationToken cancellationToken = default);

    /// <summary>Like <see cref="CurrentEventsByPersistenceId"/>, then keeps following the stream until <paramref name="toSequenceNr"/>.</summary>
    IAsyncEnumerable<EventEnvelope> EventsByPersistenceId(string persistenceId, long fromSequenceNr, long toSequenceNr, CancellationToken cancellationToken = default);

    /// <summary>Stored events carrying <paramref name="tag"/> with ordering greater than <paramref name="offset"/>, by ordering.</summary>
    IAsyncEnumerable<EventEnvelope> CurrentEventsByTag(string tag, long offset, CancellationToken cancellationToken = default);

    /// <summary>Live form of <see cref="CurrentEventsByTag"/>.</summary>
    IAsyncEnumerable<EventEnvelope> EventsByTag(string tag, long offset, CancellationToken cancellationToken = default);

    /// <summary>All stored events with ordering greater than <paramref name="offset"/>, by ordering.</summary>
    IAsyncEnumerable<EventEnvelope> CurrentAllEvents(long offset, CancellationToken cancellationToken = default);

    /// <summary>Live form of <see cref="CurrentAllEvents"/>.</summary>
    IAsyncEnumerable<EventEnvelope> AllEvents(long offset, CancellationToken cancellationToken = default);

    /// <summary>Every persistence id with at least one stored event, unordered.</summary>
    IAsyncEnumerable<string> CurrentPersistenceIds(CancellationToken cancellationToken = default);
}
