namespace CrossMargin.Persistence.Journal;

/// <summary>
/// One event as the journal sees it: who wrote it, where it sits in its stream, and the payload.
/// </summary>
/// <param name="PersistenceId">Stream identifier; at most 255 characters.</param>
/// <param name="SequenceNr">Position in the stream, starting at 1, contiguous per persistence id.</param>
/// <param name="Payload">The event object. Must be registered with the journal's <see cref="Serialization.EventSerializer"/>.</param>
/// <param name="WriterUuid">Identity of the writer instance (one per persistent actor incarnation); lets a retried batch be recognised.</param>
/// <param name="Tags">Tags for <c>EventsByTag</c>; empty when untagged.</param>
/// <param name="Timestamp">UTC ticks when the journal stored the event (0 before it is written).</param>
/// <param name="Manifest">Serializer manifest as stored (filled in on replay; ignored on write).</param>
public sealed record PersistentRepr(
    string PersistenceId,
    long SequenceNr,
    object Payload,
    string WriterUuid,
    IReadOnlyList<string> Tags,
    long Timestamp = 0,
    string Manifest = "")
{
    /// <summary>Creates an untagged event.</summary>
    public PersistentRepr(string persistenceId, long sequenceNr, object payload, string writerUuid)
        : this(persistenceId, sequenceNr, payload, writerUuid, Array.Empty<string>())
    {
    }
}
