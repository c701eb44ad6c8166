using System.Buffers;
using System.Buffers.Binary;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Benchmarks;

/// <summary>A journal-shaped event: about 120 bytes serialized, like the rows of the raw limits in BRIEF §7.</summary>
public sealed record BenchEvent(long Account, long AmountE8, long PriceE8, byte[] Note);

/// <summary>Compact binary codec for <see cref="BenchEvent"/>.</summary>
public sealed class BenchEventCodec : IEventCodec<BenchEvent>
{
    public void Write(BenchEvent value, IBufferWriter<byte> output)
    {
        var span = output.GetSpan(24 + value.Note.Length);
        BinaryPrimitives.WriteInt64LittleEndian(span, value.Account);
        BinaryPrimitives.WriteInt64LittleEndian(span[8..], value.AmountE8);
        BinaryPrimitives.WriteInt64LittleEndian(span[16..], value.PriceE8);
        value.Note.CopyTo(span[24..]);
        output.Advance(24 + value.Note.Length);
    }

    public BenchEvent Read(ReadOnlySpan<byte> data)
        => new(BinaryPrimitives.ReadInt64LittleEndian(data), BinaryPrimitives.ReadInt64LittleEndian(data[8..]), BinaryPrimitives.ReadInt64LittleEndian(data[16..]), data[24..].ToArray());
}
