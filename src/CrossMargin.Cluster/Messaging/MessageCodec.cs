using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using CrossMargin.Engine.Domain;

namespace CrossMargin.Cluster.Messaging;

/// <summary>
/// Encodes the node's inbox commands and replies as versioned JSON: the type string is <c>name@vN</c> (stored in
/// <c>cm_cluster_inbox.type</c>; replies carry it inside their envelope), the payload is UTF-8 JSON of the record with
/// camelCase names and decimals as exact JSON numbers. Every field is required — except the few a type documents as
/// optional, added later with a default that keeps the earlier meaning — so a missing or null field, bad JSON or an
/// out-of-range value is a <see cref="MalformedMessageException"/>; an unknown type or version an
/// <see cref="UnknownMessageTypeException"/>. Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Commands: <c>deposit@v1</c> (<see cref="Deposit"/>), <c>withdraw@v1</c> (<see cref="Withdraw"/>), <c>trade@v1</c>
/// (<see cref="PlaceTrade"/>: open, change or close a position), <c>liquidation-fill@v1</c>, <c>waterfall-settled@v1</c>
/// (bankruptcy close-out, ADL, socialized loss), <c>remargin@v1</c> (mark update), <c>get-account@v1</c>,
/// <c>index-tick@v1</c> and <c>round-flow@v1</c> (feed singleton), <c>liquidation-request@v1</c> and
/// <c>account-updated@v1</c> (coordinator singleton). Replies: <c>command-reply@v1</c> (<see cref="CommandReply"/>),
/// <c>event-applied@v1</c>, <c>account@v1</c>, <c>tick-accepted@v1</c>, <c>round-flow-applied@v1</c>, <c>ack@v1</c>, <c>error@v1</c>. A future v2 of a type is
/// added next to v1 (both decode); the names never change meaning.
/// </remarks>
public static class MessageCodec
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        NumberHandling = JsonNumberHandling.Strict,
        Converters = { new JsonStringEnumConverter() },
    };

    private static readonly Entry[] Entries =
    [
        new("deposit", 1, typeof(Deposit), m => Amount(((Deposit)m).Amount, "amount") ?? Asset(((Deposit)m).Asset)),
        new("withdraw", 1, typeof(Withdraw), m => Amount(((Withdraw)m).Amount, "amount") ?? Asset(((Withdraw)m).Asset)),
        new("trade", 1, typeof(PlaceTrade), m => ((PlaceTrade)m) switch
        {
            { SizeDelta: 0m } => "sizeDelta must not be 0",
            { Price: <= 0m } t => $"price must be positive, was {Text(t.Price)}",
            { IsolatedMargin: < 0m } t => $"isolatedMargin must not be negative, was {Text(t.IsolatedMargin)}",
            { Instrument: "" } => "instrument must not be empty",
            _ => null,
        }),
        new("liquidation-fill", 1, typeof(LiquidationFillMessage), m => ((LiquidationFillMessage)m).Fill is { Instrument: "" } ? "fill.instrument must not be empty" : null),
        new("waterfall-settled", 1, typeof(WaterfallSettledMessage), _ => null),
        new("remargin", 1, typeof(RemarginMessage), _ => null),
        new("get-account", 1, typeof(GetAccountMessage), _ => null),
        new("index-tick", 1, typeof(IndexTickMessage), m => ((IndexTickMessage)m) switch
        {
            { Symbol: "" } => "symbol must not be empty",
            { Price: <= 0m } t => $"price must be positive, was {Text(t.Price)}",
            _ => null,
        }),
        new("liquidation-request", 1, typeof(LiquidationRequestMessage), _ => null),
        new("account-updated", 1, typeof(AccountUpdatedMessage), _ => null),
        new("round-flow", 1, typeof(RoundFlowMessage), m => ((RoundFlowMessage)m).Symbol.Length == 0 ? "symbol must not be empty" : null),
        new("command-reply", 1, typeof(CommandReply), _ => null),
        new("round-flow-applied", 1, typeof(RoundFlowReply), _ => null),
        new("ack", 1, typeof(Ack), _ => null),
        new("event-applied", 1, typeof(EventAppliedReply), _ => null),
        new("account", 1, typeof(AccountView), _ => null),
        new("tick-accepted", 1, typeof(TickAccepted), _ => null),
        new("error", 1, typeof(MessageError), _ => null),
    ];

    private static readonly Dictionary<string, Entry> ByType = Entries.ToDictionary(e => e.Type, StringComparer.Ordinal);
    private static readonly Dictionary<Type, Entry> ByClr = Entries.ToDictionary(e => e.Clr);

    /// <summary>Every type string the codec reads, sorted.</summary>
    public static IReadOnlyList<string> KnownTypes { get; } = Entries.Select(e => e.Type).Order(StringComparer.Ordinal).ToArray();

    /// <summary>The type string of <paramref name="message"/>'s CLR type (e.g. <c>deposit@v1</c>).</summary>
    /// <exception cref="UnsupportedMessageException">The type has no wire form.</exception>
    public static string TypeOf(object message)
    {
        ArgumentNullException.ThrowIfNull(message);
        return ByClr.TryGetValue(message.GetType(), out var e) ? e.Type : throw new UnsupportedMessageException(message.GetType());
    }

    /// <summary>Encodes <paramref name="message"/>: its type string and UTF-8 JSON payload.</summary>
    /// <exception cref="UnsupportedMessageException">The type has no wire form.</exception>
    public static (string Type, byte[] Payload) Encode(object message)
    {
        var type = TypeOf(message);
        return (type, JsonSerializer.SerializeToUtf8Bytes(message, message.GetType(), Json));
    }

    /// <summary>Decodes a payload of <paramref name="type"/> and checks its fields.</summary>
    /// <exception cref="UnknownMessageTypeException">The type (or version) is not known.</exception>
    /// <exception cref="MalformedMessageException">Bad JSON, a missing or null field, or an invalid value.</exception>
    public static object Decode(string type, ReadOnlySpan<byte> payload)
    {
        ArgumentNullException.ThrowIfNull(type);
        if (!ByType.TryGetValue(type, out var entry))
        {
            throw new UnknownMessageTypeException(type, KnownTypes);
        }

        object? value;
        try
        {
            value = JsonSerializer.Deserialize(payload, entry.Clr, Json);
        }
        catch (JsonException e)
        {
            throw new MalformedMessageException(type, e.Message, e);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            throw new MalformedMessageException(type, e.Message, e);
        }

        if (value is null)
        {
            throw new MalformedMessageException(type, "payload is JSON null");
        }

        if (entry.Check(value) is { } problem)
        {
            throw new MalformedMessageException(type, problem);
        }

        return value;
    }

    /// <summary>Decodes and casts to <typeparamref name="T"/>.</summary>
    /// <exception cref="MalformedMessageException">The decoded value is not a <typeparamref name="T"/> (names both types).</exception>
    public static T Decode<T>(string type, ReadOnlySpan<byte> payload)
        => Decode(type, payload) is T t ? t : throw new MalformedMessageException(type, $"expected a {typeof(T).Name}");

    /// <summary>
    /// A reply as stored in <c>cm_cluster_replies.payload</c>: one JSON object <c>{"type":"…","body":{…}}</c>, so the
    /// sender can decode it without knowing the type in advance.
    /// </summary>
    public static byte[] EncodeReply(object reply)
    {
        var (type, payload) = Encode(reply);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream))
        {
            writer.WriteStartObject();
            writer.WriteString("type", type);
            writer.WritePropertyName("body");
            writer.WriteRawValue(payload, skipInputValidation: true);
            writer.WriteEndObject();
        }

        return stream.ToArray();
    }

    /// <summary>Decodes a stored reply written by <see cref="EncodeReply"/>.</summary>
    /// <exception cref="MalformedMessageException">Not a reply envelope, or its body does not decode.</exception>
    /// <exception cref="UnknownMessageTypeException">The reply's type is not known.</exception>
    public static object DecodeReply(ReadOnlySpan<byte> stored)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(stored.ToArray());
        }
        catch (JsonException e)
        {
            throw new MalformedMessageException("reply", e.Message, e);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object
                || !document.RootElement.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String
                || !document.RootElement.TryGetProperty("body", out var body))
            {
                throw new MalformedMessageException("reply", "expected {\"type\": \"name@vN\", \"body\": {...}}");
            }

            return Decode(type.GetString()!, System.Text.Encoding.UTF8.GetBytes(body.GetRawText()));
        }
    }

    private static string? Amount(decimal value, string field) => value > 0m ? null : $"{field} must be positive, was {Text(value)}";

    private static string? Asset(string asset) => asset.Length == 0 ? "asset must not be empty" : null;

    private static string Text(decimal d) => d.ToString(CultureInfo.InvariantCulture);

    private sealed record Entry(string Name, int Version, Type Clr, Func<object, string?> Check)
    {
        public string Type { get; } = string.Create(CultureInfo.InvariantCulture, $"{Name}@v{Version}");
    }
}
