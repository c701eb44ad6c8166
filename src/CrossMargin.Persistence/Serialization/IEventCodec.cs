using System.Buffers;

namespace CrossMargin.Persistence.Serialization;

/// <summary>A hand-written compact binary format for one event type, for hot streams where JSON is too slow.</summary>
/// <typeparam name="T">The event type.</typeparam>
public interface IEventCodec<T>
{
    /// <summary>Writes <paramref name="value"/> to <paramref name="output"/>.</summary>
    void Write(T value, IBufferWriter<byte> output);

    /// <summary>Reads a value written by <see cref="Write"/>; throws on malformed input.</summary>
    T Read(ReadOnlySpan<byte> data);
}
