namespace CrossMargin.Engine.Feeds;

/// <summary>
/// One instrument of <see cref="CorrelatedGbmSource"/>: geometric Brownian motion with Merton jumps.
/// Rates are annualised (a year is 365 days).
/// </summary>
/// <param name="Instrument">Instrument name emitted on its ticks.</param>
/// <param name="InitialPrice">Price at the start time (positive, on the tick grid after rounding).</param>
/// <param name="TickSize">Tick size; every emitted price is a positive multiple of it.</param>
/// <param name="Drift">μ per year (0.0 = driftless).</param>
/// <param name="Volatility">σ per year (0.8 = 80% annualised).</param>
/// <param name="JumpIntensity">λ: expected jumps per year (0 = none).</param>
/// <param name="JumpMean">Mean of the log jump size (−0.05 ≈ a 5% drop).</param>
/// <param name="JumpStdDev">Standard deviation of the log jump size.</param>
public sealed record GbmInstrument(
    string Instrument,
    decimal InitialPrice,
    decimal TickSize,
    double Drift,
    double Volatility,
    double JumpIntensity = 0.0,
    double JumpMean = 0.0,
    double JumpStdDev = 0.0)
{
    /// <summary>Throws when a parameter is out of range.</summary>
    /// <exception cref="ArgumentException">The message names the instrument and the parameter.</exception>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Instrument))
        {
            throw new ArgumentException("GBM instrument name is empty.", nameof(Instrument));
        }

        Check(InitialPrice > 0, nameof(InitialPrice), InitialPrice);
        Check(TickSize > 0, nameof(TickSize), TickSize);
        Check(double.IsFinite(Drift), nameof(Drift), Drift);
        Check(Volatility >= 0 && double.IsFinite(Volatility), nameof(Volatility), Volatility);
        Check(JumpIntensity >= 0 && double.IsFinite(JumpIntensity), nameof(JumpIntensity), JumpIntensity);
        Check(double.IsFinite(JumpMean), nameof(JumpMean), JumpMean);
        Check(JumpStdDev >= 0 && double.IsFinite(JumpStdDev), nameof(JumpStdDev), JumpStdDev);
    }

    private void Check(bool ok, string name, object value)
    {
        if (!ok)
        {
            throw new ArgumentException($"GBM instrument {Instrument}: {name} = {value} is out of range.", name);
        }
    }
}
