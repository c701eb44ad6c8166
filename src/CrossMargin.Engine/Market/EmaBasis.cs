namespace CrossMargin.Engine.Market;

/// <summary>
/// Exponential moving average of the basis over irregularly spaced samples, with a half-life in time.
/// </summary>
/// <remarks>
/// On a sample <c>b</c> at time <c>t</c>, with <c>Δt = t − t_prev</c>:
/// <c>α = 1 − 2^(−Δt / halfLife)</c> and <c>ema ← ema + α·(b − ema)</c>. The first sample sets <c>ema = b</c>;
/// a sample at the same instant as the previous one has weight 0. Rounding (documented so replays agree): α is
/// rounded half-to-even to 18 decimal places and the EMA to 12 decimal places after every update.
/// </remarks>
internal struct EmaBasis
{
    private const int AlphaDecimals = 18;
    private const int EmaDecimals = 12;

    public decimal? Value;
    public DateTimeOffset? LastSampleTime;

    public void Add(decimal sample, DateTimeOffset time, TimeSpan halfLife)
    {
        if (Value is not decimal ema || LastSampleTime is not DateTimeOffset last)
        {
            Value = Math.Round(sample, EmaDecimals, MidpointRounding.ToEven);
            LastSampleTime = time;
            return;
        }

        decimal halfLives = (decimal)(time - last).Ticks / halfLife.Ticks;
        decimal alpha = Math.Round(1m - DecimalMath.Pow2Negative(halfLives), AlphaDecimals, MidpointRounding.ToEven);
        Value = Math.Round(ema + (alpha * (sample - ema)), EmaDecimals, MidpointRounding.ToEven);
        LastSampleTime = time;
    }
}
