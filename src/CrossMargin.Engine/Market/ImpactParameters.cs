namespace CrossMargin.Engine.Market;

/// <summary>
/// Square-root impact law parameters for one instrument: <c>ΔP/P = Y·σ·√(Q / (V·depthFactor))</c>.
/// </summary>
/// <param name="Y">Dimensionless prefactor, typically 0.5–1.</param>
/// <param name="DailyVolatility">σ: daily volatility as a fraction (0.03 = 3% a day).</param>
/// <param name="DailyVolume">V: normal daily traded volume in base units (e.g. BTC).</param>
/// <param name="TickSize">Instrument tick size; quoted prices are multiples of it.</param>
/// <param name="MaxRelativeImpact">Cap on ΔP/P for one order (default 0.95), so a price never reaches zero.</param>
public sealed record ImpactParameters(
    decimal Y,
    decimal DailyVolatility,
    decimal DailyVolume,
    decimal TickSize,
    decimal MaxRelativeImpact = 0.95m)
{
    /// <summary>Throws when a parameter is out of range; called by the model's constructor.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The named parameter is out of range.</exception>
    public void Validate()
    {
        Require(Y > 0, nameof(Y), Y);
        Require(DailyVolatility > 0, nameof(DailyVolatility), DailyVolatility);
        Require(DailyVolume > 0, nameof(DailyVolume), DailyVolume);
        Require(TickSize > 0, nameof(TickSize), TickSize);
        Require(MaxRelativeImpact > 0 && MaxRelativeImpact < 1, nameof(MaxRelativeImpact), MaxRelativeImpact);
    }

    private static void Require(bool ok, string name, decimal value)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, $"Impact parameter {name} is out of range.");
        }
    }
}
