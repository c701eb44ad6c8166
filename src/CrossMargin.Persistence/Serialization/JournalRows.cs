using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Query;

namespace CrossMargin.Persistence.Serialization;

/// <summary>Conversions between journal events and stored rows, shared by every plugin.</summary>
public static class JournalRows
{
    /// <summary>Serializes every event of <paramref name="write"/>, stamping <paramref name="createdTicks"/>.</summary>
    /// <exception cref="EventSerializationException">Any payload cannot be serialized: the whole write is rejected.</exception>
    public static SerializedEvent[] Serialize(AtomicWrite write, EventSerializer serializer, long createdTicks)
    {
        ArgumentNullException.ThrowIfNull(write);
        ArgumentNullException.ThrowIfNull(serializer);
        var rows = new SerializedEvent[write.Events.Count];
        for (var i = 0; i < rows.Length; i++)
        {
            var e = write.Events[i];
            if (e.PersistenceId.Length > 255)
            {
                throw new EventSerializationException($"persistence id '{e.PersistenceId[..40]}…' is {e.PersistenceId.Length} characters; at most 255 are allowed");
            }

            var payload = serializer.Serialize(e.Payload);
            rows[i] = new SerializedEvent(e.PersistenceId, e.SequenceNr, createdTicks, payload.Manifest, payload.SerializerId, payload.Payload, e.WriterUuid, e.Tags);
        }

        return rows;
    }

    /// <summary>Deserializes a stored row into a <see cref="PersistentRepr"/>.</summary>
    public static PersistentRepr ToRepr(SerializedEvent row, EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(serializer);
        var payload = serializer.Deserialize(row.PersistenceId, row.SequenceNr, row.Manifest, row.SerializerId, row.Payload);
        return new PersistentRepr(row.PersistenceId, row.SequenceNr, payload, row.WriterUuid, row.Tags, row.Created, row.Manifest);
    }

    /// <summary>Deserializes a stored row into a query envelope at <paramref name="ordering"/>.</summary>
    public static EventEnvelope ToEnvelope(long ordering, SerializedEvent row, EventSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(row);
        ArgumentNullException.ThrowIfNull(serializer);
        var payload = serializer.Deserialize(row.PersistenceId, row.SequenceNr, row.Manifest, row.SerializerId, row.Payload);
        return new EventEnvelope(ordering, row.PersistenceId, row.SequenceNr, payload, row.Created, row.Tags);
    }
}
