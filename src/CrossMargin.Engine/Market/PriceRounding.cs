namespace CrossMargin.Engine.Market;

/// <summary>Rounding of prices to an instrument's tick size (exact decimal arithmetic).</summary>
public static class PriceRounding
{
    /// <summary>
    /// Rounds <paramref name="price"/> to a multiple of <paramref name="tickSize"/>. The default mode is
    /// banker's rounding (<see cref="MidpointRounding.ToEven"/>), used for mark and synthetic prices; callers that must
    /// round against a taker pass <see cref="MidpointRounding.ToNegativeInfinity"/> or <see cref="MidpointRounding.ToPositiveInfinity"/>.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The tick size is not positive.</exception>
    public static decimal ToTick(decimal price, decimal tickSize, MidpointRounding mode = MidpointRounding.ToEven)
    {
        if (tickSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tickSize), tickSize, "Tick size must be positive.");
        }

        return Math.Round(price / tickSize, 0, mode) * tickSize;
    }
}
