namespace CrossMargin.Persistence.Serialization;

/// <summary>A serialized payload with what is needed to read it back.</summary>
/// <param name="Manifest">Type name and version, for example <c>Deposited@v2</c>.</param>
/// <param name="SerializerId">Which format wrote <paramref name="Payload"/> (see <see cref="EventSerializer"/>).</param>
/// <param name="Payload">The bytes.</param>
public readonly record struct SerializedPayload(string Manifest, int SerializerId, byte[] Payload);

/// <summary>A journal row ready to be stored: one event in its serialized form.</summary>
/// <param name="PersistenceId">The stream.</param>
/// <param name="SequenceNr">Position in the stream.</param>
/// <param name="Created">UTC ticks at write time.</param>
/// <param name="Manifest">Stored manifest.</param>
/// <param name="SerializerId">Stored serializer id.</param>
/// <param name="Payload">Stored bytes.</param>
/// <param name="WriterUuid">Writer identity.</param>
/// <param name="Tags">Tags for the tag table.</param>
public sealed record SerializedEvent(
    string PersistenceId,
    long SequenceNr,
    long Created,
    string Manifest,
    int SerializerId,
    byte[] Payload,
    string WriterUuid,
    IReadOnlyList<string> Tags);
