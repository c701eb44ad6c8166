namespace CrossMargin.Engine.Market;

/// <summary>
/// One observed price of one instrument at one instant: the unit every tick source emits and every price feed consumes.
/// </summary>
/// <param name="Instrument">Instrument (or symbol after mapping), e.g. <c>BTC-PERP</c>; compared ordinally.</param>
/// <param name="Time">UTC instant of the observation. Sources emit ticks in non-decreasing time order.</param>
/// <param name="Price">Price in quote currency; always positive.</param>
/// <param name="Volume">Traded quantity in base units when the source knows it, otherwise null.</param>
public readonly record struct Tick(string Instrument, DateTimeOffset Time, decimal Price, decimal? Volume = null)
{
    /// <summary>Microseconds since the Unix epoch (UTC) of <see cref="Time"/>, truncated.</summary>
    public long TimeMicros => UnixTime.ToMicros(Time);
}
