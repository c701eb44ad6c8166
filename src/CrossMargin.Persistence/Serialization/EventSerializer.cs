using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace CrossMargin.Persistence.Serialization;

/// <summary>
/// Maps event types to stable manifests with versions, writes them as JSON (serializer id 1) or with a registered
/// <see cref="IEventCodec{T}"/> (id 2), and upcasts stored old versions to the current type.
/// </summary>
/// <remarks>
/// Register every persisted type at start-up, before any write; registration is not thread-safe, use is.
/// The stored manifest is <c>name@vN</c>. An older stored version is brought to the current one by the chain of
/// upcasters added with <see cref="AddUpcaster"/> (JSON only) before it is deserialized.
/// </remarks>
public sealed class EventSerializer
{
    /// <summary>Serializer id of System.Text.Json payloads.</summary>
    public const int JsonSerializerId = 1;

    /// <summary>Serializer id of <see cref="IEventCodec{T}"/> payloads.</summary>
    public const int CodecSerializerId = 2;

    private readonly Dictionary<Type, Registration> _byType = new();
    private readonly Dictionary<string, Registration> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, int FromVersion), Func<JsonNode, JsonNode>> _upcasters = new();
    private readonly ConcurrentDictionary<string, (string Name, int Version)> _parsedManifests = new(StringComparer.Ordinal);

    // Manifests that resolved to the current version of a registration: the replay fast path is one lookup.
    private readonly ConcurrentDictionary<string, Registration> _current = new(StringComparer.Ordinal);
    private readonly JsonSerializerOptions _json;

    /// <summary>Creates a serializer; <paramref name="jsonOptions"/> defaults to web-style camelCase.</summary>
    public EventSerializer(JsonSerializerOptions? jsonOptions = null)
    {
        _json = jsonOptions ?? new JsonSerializerOptions(JsonSerializerDefaults.Web);
        Register<string>("string", 1);
    }

    /// <summary>Registers <typeparamref name="T"/> as JSON under <paramref name="name"/> at <paramref name="version"/> (the current one).</summary>
    /// <exception cref="ArgumentException">The type or the name is already registered.</exception>
    public EventSerializer Register<T>(string name, int version = 1)
    {
        Add(new Registration(typeof(T), name, version, JsonSerializerId,
            value => JsonSerializer.SerializeToUtf8Bytes(value, typeof(T), _json),
            bytes => JsonSerializer.Deserialize(bytes, typeof(T), _json) ?? throw new JsonException("payload is JSON null")));
        return this;
    }

    /// <summary>Registers <typeparamref name="T"/> with a binary <paramref name="codec"/>.</summary>
    public EventSerializer Register<T>(string name, int version, IEventCodec<T> codec)
    {
        ArgumentNullException.ThrowIfNull(codec);
        Add(new Registration(typeof(T), name, version, CodecSerializerId,
            value =>
            {
                var buffer = new ArrayBufferWriter<byte>(64);
                codec.Write((T)value, buffer);
                return buffer.WrittenSpan.ToArray();
            },
            bytes => codec.Read(bytes)!));
        return this;
    }

    /// <summary>
    /// Adds a step that turns the JSON of <paramref name="name"/> at <paramref name="fromVersion"/> into the JSON of
    /// <paramref name="fromVersion"/> + 1. Steps chain until the registered version is reached.
    /// </summary>
    public EventSerializer AddUpcaster(string name, int fromVersion, Func<JsonNode, JsonNode> upcast)
    {
        ArgumentNullException.ThrowIfNull(upcast);
        _upcasters.Add((name, fromVersion), upcast);
        return this;
    }

    /// <summary>True when <paramref name="type"/> can be serialized.</summary>
    public bool IsRegistered(Type type) => _byType.ContainsKey(type);

    /// <summary>
    /// Serializes <paramref name="payload"/>. A <see cref="SerializedPayload"/> (an event serialized ahead, for example
    /// by a writer that hashes the rows it journals) is returned as it is, so it is stored byte for byte.
    /// </summary>
    /// <exception cref="EventSerializationException">The type is not registered or its serializer threw.</exception>
    public SerializedPayload Serialize(object payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (payload is SerializedPayload ready)
        {
            return ready;
        }

        if (!_byType.TryGetValue(payload.GetType(), out var registration))
        {
            throw new EventSerializationException($"event type {payload.GetType().FullName} is not registered with the event serializer; call EventSerializer.Register<{payload.GetType().Name}>(name, version) at start-up");
        }

        try
        {
            return new SerializedPayload(registration.Manifest, registration.SerializerId, registration.Write(payload));
        }
        catch (Exception e) when (e is not EventSerializationException)
        {
            throw new EventSerializationException($"cannot serialize {payload.GetType().FullName}: {e.Message}", e);
        }
    }

    /// <summary>Reads a stored payload back, upcasting older versions.</summary>
    /// <exception cref="EventDeserializationException">Unknown manifest, newer version than registered, or corrupt bytes; names <paramref name="persistenceId"/> and <paramref name="sequenceNr"/>.</exception>
    public object Deserialize(string persistenceId, long sequenceNr, string manifest, int serializerId, byte[] payload)
    {
        ArgumentNullException.ThrowIfNull(payload);
        return Deserialize(persistenceId, sequenceNr, manifest, serializerId, new ReadOnlySpan<byte>(payload));
    }

    /// <summary>Reads a stored payload back from a span (for example a pooled read buffer), upcasting older versions.</summary>
    /// <remarks>The span is only read during the call; the returned object does not refer to it.</remarks>
    /// <exception cref="EventDeserializationException">Unknown manifest, newer version than registered, or corrupt bytes; names <paramref name="persistenceId"/> and <paramref name="sequenceNr"/>.</exception>
    public object Deserialize(string persistenceId, long sequenceNr, string manifest, int serializerId, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(manifest);
        if (_current.TryGetValue(manifest, out var known) && known.SerializerId == serializerId)
        {
            try
            {
                return known.Read(payload);
            }
            catch (Exception e) when (e is not EventDeserializationException)
            {
                throw new EventDeserializationException(persistenceId, sequenceNr, manifest, e.Message, e);
            }
        }

        var (name, version) = ParseManifest(persistenceId, sequenceNr, manifest);
        if (!_byName.TryGetValue(name, out var registration))
        {
            throw new EventDeserializationException(persistenceId, sequenceNr, manifest, $"no event type is registered under '{name}'");
        }

        if (version > registration.Version)
        {
            throw new EventDeserializationException(persistenceId, sequenceNr, manifest, $"stored version {version} is newer than the registered version {registration.Version}");
        }

        if (serializerId != registration.SerializerId)
        {
            throw new EventDeserializationException(persistenceId, sequenceNr, manifest, $"stored with serializer {serializerId} but '{name}' is registered with serializer {registration.SerializerId}");
        }

        try
        {
            if (version == registration.Version)
            {
                var value = registration.Read(payload);
                _current.TryAdd(manifest, registration);
                return value;
            }

            return registration.Read(Upcast(persistenceId, sequenceNr, manifest, name, version, registration.Version, payload));
        }
        catch (Exception e) when (e is not EventDeserializationException)
        {
            throw new EventDeserializationException(persistenceId, sequenceNr, manifest, e.Message, e);
        }
    }

    private byte[] Upcast(string persistenceId, long sequenceNr, string manifest, string name, int from, int to, ReadOnlySpan<byte> payload)
    {
        if (_byName[name].SerializerId != JsonSerializerId)
        {
            throw new EventDeserializationException(persistenceId, sequenceNr, manifest, "upcasting is only supported for JSON payloads");
        }

        var node = JsonNode.Parse(payload.ToArray()) ?? throw new JsonException("payload is JSON null");
        for (var v = from; v < to; v++)
        {
            if (!_upcasters.TryGetValue((name, v), out var step))
            {
                throw new EventDeserializationException(persistenceId, sequenceNr, manifest, $"no upcaster from version {v} to {v + 1} of '{name}'");
            }

            node = step(node);
        }

        return JsonSerializer.SerializeToUtf8Bytes(node, _json);
    }

    private (string Name, int Version) ParseManifest(string persistenceId, long sequenceNr, string manifest)
    {
        if (_parsedManifests.TryGetValue(manifest, out var parsed))
        {
            return parsed;
        }

        var at = manifest.LastIndexOf("@v", StringComparison.Ordinal);
        if (at <= 0 || !int.TryParse(manifest.AsSpan(at + 2), NumberStyles.None, CultureInfo.InvariantCulture, out var version))
        {
            throw new EventDeserializationException(persistenceId, sequenceNr, manifest, "manifest is not of the form name@vN");
        }

        parsed = (manifest[..at], version);
        _parsedManifests.TryAdd(manifest, parsed);
        return parsed;
    }

    private void Add(Registration registration)
    {
        if (string.IsNullOrWhiteSpace(registration.Name) || registration.Name.Contains('@', StringComparison.Ordinal))
        {
            throw new ArgumentException($"manifest name '{registration.Name}' must be non-empty and must not contain '@'");
        }

        if (registration.Version < 1)
        {
            throw new ArgumentException($"version of '{registration.Name}' must be at least 1, got {registration.Version}");
        }

        if (_byType.ContainsKey(registration.Type) || _byName.ContainsKey(registration.Name))
        {
            throw new ArgumentException($"{registration.Type.Name} or manifest name '{registration.Name}' is already registered");
        }

        _byType.Add(registration.Type, registration);
        _byName.Add(registration.Name, registration);
    }

    private delegate object ReadPayload(ReadOnlySpan<byte> payload);

    private sealed record Registration(Type Type, string Name, int Version, int SerializerId, Func<object, byte[]> Write, ReadPayload Read)
    {
        public string Manifest { get; } = string.Create(CultureInfo.InvariantCulture, $"{Name}@v{Version}");
    }
}
