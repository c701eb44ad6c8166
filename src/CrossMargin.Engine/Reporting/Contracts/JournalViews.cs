namespace CrossMargin.Engine.Reporting;

/// <summary>One persistence id (actor) in a journal.</summary>
/// <param name="PersistenceId">E.g. <c>account-42</c>, <c>feed-BTC-PERP</c>, <c>liquidation-coordinator</c>.</param>
/// <param name="Events">Events stored.</param>
/// <param name="HighestSequenceNr">Highest sequence number.</param>
/// <param name="LastTimestamp">Simulated time of the last event, when recorded.</param>
public sealed record JournalStreamSummary(string PersistenceId, long Events, long HighestSequenceNr, DateTimeOffset? LastTimestamp);

/// <summary>One journaled event, ready to print.</summary>
/// <param name="Ordering">Global position in the journal.</param>
/// <param name="PersistenceId">The actor that wrote it.</param>
/// <param name="SequenceNr">Its sequence number in that actor's stream.</param>
/// <param name="Timestamp">Simulated time it was written at.</param>
/// <param name="EventType">The event's type name, e.g. <c>PositionLiquidated</c>.</param>
/// <param name="Summary">A one-line human-readable rendering of the payload.</param>
public sealed record JournalEntryView(long Ordering, string PersistenceId, long SequenceNr, DateTimeOffset Timestamp, string EventType, string Summary);

/// <summary>Totals of a journal.</summary>
/// <param name="Events">Events stored.</param>
/// <param name="PersistenceIds">Distinct persistence ids.</param>
/// <param name="Snapshots">Snapshots stored.</param>
/// <param name="FirstTimestamp">Simulated time of the first event; null when empty.</param>
/// <param name="LastTimestamp">Simulated time of the last event; null when empty.</param>
/// <param name="EventsByType">Event count per type name, ordered by name.</param>
/// <param name="SchemaVersion">The journal's schema version.</param>
/// <param name="SizeBytes">Storage size when the backend can tell (SQLite file size); null otherwise.</param>
public sealed record JournalStats(long Events, long PersistenceIds, long Snapshots, DateTimeOffset? FirstTimestamp, DateTimeOffset? LastTimestamp, IReadOnlyDictionary<string, long> EventsByType, int SchemaVersion, long? SizeBytes);
