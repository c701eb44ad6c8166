namespace CrossMargin.Engine.Feeds;

/// <summary>
/// SplitMix64 (Steele, Lea and Flood): a tiny 64-bit generator, used here to expand one seed into the state of
/// <see cref="Xoshiro256StarStar"/>. Fully specified, so the same seed gives the same sequence on every platform.
/// </summary>
public struct SplitMix64
{
    private ulong _state;

    /// <summary>Starts the generator at <paramref name="seed"/>.</summary>
    public SplitMix64(ulong seed) => _state = seed;

    /// <summary>The next 64 random bits.</summary>
    public ulong Next()
    {
        unchecked
        {
            ulong z = _state += 0x9E3779B97F4A7C15UL;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
            return z ^ (z >> 31);
        }
    }
}
