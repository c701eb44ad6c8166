namespace CrossMargin.Persistence.Query;

/// <summary>An event as a query returns it.</summary>
/// <param name="Offset">The global <c>ordering</c> of the event; resume a query after it by passing it as the offset.</param>
/// <param name="PersistenceId">The stream.</param>
/// <param name="SequenceNr">Position in the stream.</param>
/// <param name="Event">The deserialized (and upcast) event.</param>
/// <param name="Timestamp">UTC ticks when stored.</param>
/// <param name="Tags">The event's tags.</param>
public sealed record EventEnvelope(long Offset, string PersistenceId, long SequenceNr, object Event, long Timestamp, IReadOnlyList<string> Tags);
