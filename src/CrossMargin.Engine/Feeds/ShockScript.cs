using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// A scripted price path for one instrument: piecewise-linear legs sampled every <see cref="Interval"/>, e.g.
/// "BTC −25% over 10 minutes, one tick a second". The first tick is the start price at the start time; then one tick
/// per interval until the last leg ends (its end price is the last tick). Prices are computed exactly in decimal from
/// the unrounded path and rounded half-to-even to the tick size when emitted.
/// </summary>
public sealed class ShockScript : ITickSource
{
    /// <summary>Creates a script.</summary>
    /// <exception cref="ArgumentException">A parameter is invalid, or a leg's duration is not a whole number of intervals.</exception>
    public ShockScript(
        string instrument,
        decimal startPrice,
        DateTimeOffset startTime,
        TimeSpan interval,
        decimal tickSize,
        IReadOnlyList<ShockLeg> legs)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(instrument);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(startPrice, 0m);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(interval, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(tickSize, 0m);
        ArgumentNullException.ThrowIfNull(legs);
        if (legs.Count == 0)
        {
            throw new ArgumentException($"Shock script for {instrument} has no legs.", nameof(legs));
        }

        for (int i = 0; i < legs.Count; i++)
        {
            if (legs[i].Duration.Ticks % interval.Ticks != 0)
            {
                throw new ArgumentException(
                    $"Shock script for {instrument}: leg {i} lasts {legs[i].Duration}, not a whole number of {interval} intervals.", nameof(legs));
            }
        }

        Instrument = instrument;
        StartPrice = startPrice;
        StartTime = startTime;
        Interval = interval;
        TickSize = tickSize;
        Legs = [.. legs];
    }

    /// <summary>Instrument of the emitted ticks.</summary>
    public string Instrument { get; }

    /// <summary>Price of the first tick (before rounding).</summary>
    public decimal StartPrice { get; }

    /// <summary>Time of the first tick.</summary>
    public DateTimeOffset StartTime { get; }

    /// <summary>Time between ticks.</summary>
    public TimeSpan Interval { get; }

    /// <summary>Tick size of emitted prices.</summary>
    public decimal TickSize { get; }

    /// <summary>The legs, in order.</summary>
    public IReadOnlyList<ShockLeg> Legs { get; }

    /// <summary>Time of the last tick.</summary>
    public DateTimeOffset EndTime => StartTime + Legs.Aggregate(TimeSpan.Zero, (sum, leg) => sum + leg.Duration);

    /// <summary>A single move: <paramref name="movePercent"/> (e.g. −25) over <paramref name="duration"/>.</summary>
    public static ShockScript Move(
        string instrument, decimal startPrice, DateTimeOffset startTime, decimal movePercent, TimeSpan duration, TimeSpan interval, decimal tickSize) =>
        new(instrument, startPrice, startTime, interval, tickSize, [ShockLeg.ByPercent(movePercent, duration)]);

    /// <summary>
    /// A flash crash and recovery: fall by <paramref name="dropPercent"/> (positive, e.g. 20) over <paramref name="dropDuration"/>,
    /// then win back <paramref name="recoveredShare"/> (0…1) of the fall over <paramref name="recoveryDuration"/>.
    /// </summary>
    public static ShockScript FlashCrashRecovery(
        string instrument,
        decimal startPrice,
        DateTimeOffset startTime,
        decimal dropPercent,
        TimeSpan dropDuration,
        decimal recoveredShare,
        TimeSpan recoveryDuration,
        TimeSpan interval,
        decimal tickSize)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(dropPercent, 0m);
        ArgumentOutOfRangeException.ThrowIfNegative(recoveredShare);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recoveredShare, 1m);
        decimal bottom = startPrice * (1m - (dropPercent / 100m));
        decimal recovered = bottom + ((startPrice - bottom) * recoveredShare);
        return new ShockScript(instrument, startPrice, startTime, interval, tickSize,
            [ShockLeg.ByPercent(-dropPercent, dropDuration), ShockLeg.ToPrice(recovered, recoveryDuration)]);
    }

    /// <inheritdoc />
    public IEnumerable<Tick> Ticks()
    {
        decimal legStart = StartPrice;
        DateTimeOffset legTime = StartTime;
        yield return Emit(StartTime, StartPrice);
        foreach (ShockLeg leg in Legs)
        {
            decimal legEnd = leg.EndPrice(legStart);
            long steps = leg.Duration.Ticks / Interval.Ticks;
            for (long step = 1; step <= steps; step++)
            {
                decimal price = step == steps ? legEnd : legStart + ((legEnd - legStart) * step / steps);
                yield return Emit(legTime.AddTicks(checked(Interval.Ticks * step)), price);
            }

            legStart = legEnd;
            legTime += leg.Duration;
        }
    }

    private Tick Emit(DateTimeOffset time, decimal price)
    {
        decimal rounded = PriceRounding.ToTick(price, TickSize);
        return new Tick(Instrument, time, rounded > 0 ? rounded : TickSize);
    }
}
