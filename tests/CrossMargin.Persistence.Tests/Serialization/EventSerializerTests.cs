using System.Buffers;
using System.Buffers.Binary;
using System.Text;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Tests.Serialization;

public sealed class EventSerializerTests
{
    private sealed record PriceTick(long Instrument, long PriceE8);

    private sealed record RenamedV1(string Name);

    private sealed record RenamedV3(string FullName, int Level);

    private sealed class PriceTickCodec : IEventCodec<PriceTick>
    {
        public void Write(PriceTick value, IBufferWriter<byte> output)
        {
            var span = output.GetSpan(16);
            BinaryPrimitives.WriteInt64LittleEndian(span, value.Instrument);
            BinaryPrimitives.WriteInt64LittleEndian(span[8..], value.PriceE8);
            output.Advance(16);
        }

        public PriceTick Read(ReadOnlySpan<byte> data)
        {
            if (data.Length != 16)
            {
                throw new FormatException($"a price tick is 16 bytes, got {data.Length}");
            }

            return new PriceTick(BinaryPrimitives.ReadInt64LittleEndian(data), BinaryPrimitives.ReadInt64LittleEndian(data[8..]));
        }
    }

    [Fact]
    public void A_payload_serialized_ahead_should_pass_through_unchanged_and_read_back_as_the_event()
    {
        var serializer = new EventSerializer().Register<RenamedV1>("renamed", 1);
        var ahead = serializer.Serialize(new RenamedV1("ada"));
        var again = serializer.Serialize(ahead);
        Assert.Same(ahead.Payload, again.Payload);
        Assert.Equal((ahead.Manifest, ahead.SerializerId), (again.Manifest, again.SerializerId));
        Assert.Equal(new RenamedV1("ada"), serializer.Deserialize("p", 1, again.Manifest, again.SerializerId, again.Payload));
    }

    [Fact]
    public void Serializer_should_read_an_event_from_a_slice_of_a_reused_buffer()
    {
        var serializer = new EventSerializer().Register("tick", 1, new PriceTickCodec()).Register<RenamedV1>("renamed", 1);
        var tick = serializer.Serialize(new PriceTick(7, 123_000_000));
        var json = serializer.Serialize(new RenamedV1("ada"));
        var buffer = new byte[64];

        // Twice each: the second read of a manifest takes the cached path.
        for (var round = 0; round < 2; round++)
        {
            tick.Payload.CopyTo(buffer, 3);
            Assert.Equal(new PriceTick(7, 123_000_000), serializer.Deserialize("p", 1, tick.Manifest, tick.SerializerId, buffer.AsSpan(3, tick.Payload.Length)));
            json.Payload.CopyTo(buffer, 0);
            Assert.Equal(new RenamedV1("ada"), serializer.Deserialize("p", 2, json.Manifest, json.SerializerId, buffer.AsSpan(0, json.Payload.Length)));
        }
    }

    [Fact]
    public void Serializer_should_name_the_event_of_a_corrupt_payload_on_the_cached_path_too()
    {
        var serializer = new EventSerializer().Register("tick", 1, new PriceTickCodec());
        var tick = serializer.Serialize(new PriceTick(1, 2));
        _ = serializer.Deserialize("p", 1, tick.Manifest, tick.SerializerId, tick.Payload);

        var error = Assert.Throws<EventDeserializationException>(() => serializer.Deserialize("acct-9", 42, tick.Manifest, tick.SerializerId, new byte[3].AsSpan()));
        Assert.Contains("acct-9", error.Message, StringComparison.Ordinal);
        Assert.Contains("42", error.Message, StringComparison.Ordinal);
        Assert.Throws<EventDeserializationException>(() => serializer.Deserialize("p", 3, tick.Manifest, EventSerializer.JsonSerializerId, tick.Payload));
    }

    [Fact]
    public void Serializer_should_write_a_manifest_with_name_and_version()
    {
        var serializer = new EventSerializer().Register<RenamedV1>("renamed", 1);
        var payload = serializer.Serialize(new RenamedV1("x"));
        Assert.Equal("renamed@v1", payload.Manifest);
        Assert.Equal(EventSerializer.JsonSerializerId, payload.SerializerId);
        Assert.Equal(new RenamedV1("x"), serializer.Deserialize("p", 1, payload.Manifest, payload.SerializerId, payload.Payload));
    }

    [Fact]
    public void Serializer_should_round_trip_a_binary_codec()
    {
        var serializer = new EventSerializer().Register("tick", 1, new PriceTickCodec());
        var payload = serializer.Serialize(new PriceTick(7, 123_456_789));
        Assert.Equal(EventSerializer.CodecSerializerId, payload.SerializerId);
        Assert.Equal(16, payload.Payload.Length);
        Assert.Equal(new PriceTick(7, 123_456_789), serializer.Deserialize("p", 1, payload.Manifest, payload.SerializerId, payload.Payload));
    }

    [Fact]
    public void Serializer_should_chain_upcasters_from_v1_to_v3()
    {
        var serializer = new EventSerializer()
            .Register<RenamedV3>("renamed", 3)
            .AddUpcaster("renamed", 1, json =>
            {
                var o = json.AsObject();
                o["fullName"] = o["name"]!.GetValue<string>();
                o.Remove("name");
                return o;
            })
            .AddUpcaster("renamed", 2, json =>
            {
                json["level"] = 1;
                return json;
            });
        var stored = Encoding.UTF8.GetBytes("{\"name\":\"Ada\"}");
        Assert.Equal(new RenamedV3("Ada", 1), serializer.Deserialize("p", 4, "renamed@v1", 1, stored));
    }

    [Fact]
    public void Serializer_should_reject_an_unregistered_type_with_its_name()
    {
        var error = Assert.Throws<EventSerializationException>(() => new EventSerializer().Serialize(new RenamedV1("x")));
        Assert.Contains(nameof(RenamedV1), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_name_persistence_id_and_sequence_number_of_corrupt_json()
    {
        var serializer = new EventSerializer().Register<RenamedV1>("renamed", 1);
        var error = Assert.Throws<EventDeserializationException>(() => serializer.Deserialize("acct-9", 42, "renamed@v1", 1, new byte[] { 0x7b, 0xff, 0x00 }));
        Assert.Equal("acct-9", error.PersistenceId);
        Assert.Equal(42, error.SequenceNr);
        Assert.Contains("acct-9 #42", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_refuse_an_unknown_manifest()
    {
        var error = Assert.Throws<EventDeserializationException>(() => new EventSerializer().Deserialize("p", 1, "nope@v1", 1, Array.Empty<byte>()));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_refuse_a_version_newer_than_registered()
    {
        var serializer = new EventSerializer().Register<RenamedV1>("renamed", 1);
        var error = Assert.Throws<EventDeserializationException>(() => serializer.Deserialize("p", 1, "renamed@v2", 1, Encoding.UTF8.GetBytes("{}")));
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_refuse_a_missing_upcaster_step()
    {
        var serializer = new EventSerializer().Register<RenamedV3>("renamed", 3);
        var error = Assert.Throws<EventDeserializationException>(() => serializer.Deserialize("p", 1, "renamed@v1", 1, Encoding.UTF8.GetBytes("{}")));
        Assert.Contains("no upcaster from version 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Serializer_should_refuse_a_duplicate_registration()
        => Assert.Throws<ArgumentException>(() => new EventSerializer().Register<RenamedV1>("a", 1).Register<RenamedV3>("a", 1));
}
