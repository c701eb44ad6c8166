namespace CrossMargin.Engine.Feeds;

/// <summary>
/// One straight-line segment of a <see cref="ShockScript"/>: over <see cref="Duration"/> the price moves linearly
/// from where the previous leg ended to either <c>start·(1 + MovePercent/100)</c> or <see cref="TargetPrice"/>.
/// </summary>
public sealed record ShockLeg
{
    private ShockLeg(TimeSpan duration, decimal? movePercent, decimal? targetPrice)
    {
        if (duration <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration, "Shock leg duration must be positive.");
        }

        if (movePercent is decimal m && m <= -100m)
        {
            throw new ArgumentOutOfRangeException(nameof(movePercent), m, "A move of -100% or more would make the price non-positive.");
        }

        if (targetPrice is decimal t && t <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(targetPrice), t, "Target price must be positive.");
        }

        Duration = duration;
        MovePercent = movePercent;
        TargetPrice = targetPrice;
    }

    /// <summary>Length of the leg; must be a whole number of the script's tick intervals.</summary>
    public TimeSpan Duration { get; }

    /// <summary>Relative move in percent of the leg's starting price (−25 = a 25% fall), or null when <see cref="TargetPrice"/> is set.</summary>
    public decimal? MovePercent { get; }

    /// <summary>Absolute price at the end of the leg, or null when <see cref="MovePercent"/> is set.</summary>
    public decimal? TargetPrice { get; }

    /// <summary>A leg moving by <paramref name="percent"/> (e.g. −25) over <paramref name="duration"/>.</summary>
    public static ShockLeg ByPercent(decimal percent, TimeSpan duration) => new(duration, percent, null);

    /// <summary>A leg moving to <paramref name="price"/> over <paramref name="duration"/>.</summary>
    public static ShockLeg ToPrice(decimal price, TimeSpan duration) => new(duration, null, price);

    /// <summary>A leg holding the price flat for <paramref name="duration"/>.</summary>
    public static ShockLeg Hold(TimeSpan duration) => new(duration, 0m, null);

    /// <summary>The unrounded end price of the leg given its unrounded start price.</summary>
    public decimal EndPrice(decimal start) => TargetPrice ?? (start * (1m + (MovePercent!.Value / 100m)));
}
