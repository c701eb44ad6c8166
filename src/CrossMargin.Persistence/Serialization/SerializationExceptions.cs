namespace CrossMargin.Persistence.Serialization;

/// <summary>An event cannot be serialized (for example its type is not registered); the write is rejected, nothing is stored.</summary>
public sealed class EventSerializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventSerializationException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}

/// <summary>A stored event or snapshot cannot be read back; the message names the persistence id and sequence number.</summary>
public sealed class EventDeserializationException : Exception
{
    /// <summary>Creates the exception.</summary>
    public EventDeserializationException(string persistenceId, long sequenceNr, string manifest, string reason, Exception? inner = null)
        : base($"cannot read stored payload of {persistenceId} #{sequenceNr} (manifest '{manifest}'): {reason}", inner)
    {
        PersistenceId = persistenceId;
        SequenceNr = sequenceNr;
        Manifest = manifest;
    }

    /// <summary>The stream holding the bad payload.</summary>
    public string PersistenceId { get; }

    /// <summary>Sequence number of the bad payload.</summary>
    public long SequenceNr { get; }

    /// <summary>The stored manifest.</summary>
    public string Manifest { get; }
}
