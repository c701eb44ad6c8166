using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// Synthetic prices: correlated geometric Brownian motions with Poisson/log-normal jumps, one tick per instrument per
/// step. Deterministic for a seed: randomness comes from <see cref="Xoshiro256StarStar"/>, the arithmetic from
/// IEEE-exact operations (<see cref="DeterministicMath"/>), and each emitted price is the double path value converted
/// to decimal and rounded half-to-even to the tick size (at least one tick).
/// </summary>
/// <remarks>
/// Per step of Δt years, instrument i moves its log price by
/// <c>(μᵢ − σᵢ²/2)·Δt + σᵢ·√Δt·(L·z)ᵢ + Σ jumps</c>, where L is the Cholesky factor of the correlation matrix,
/// z independent standard normals, and the jump count is Poisson(λᵢ·Δt) with each jump ~ N(jumpMean, jumpStdDev²),
/// independent across instruments. The first ticks (at the start time) carry the initial prices. Within one step the
/// ticks come in instrument order as given.
/// </remarks>
public sealed class CorrelatedGbmSource : ITickSource
{
    private const double SecondsPerYear = 365.0 * 24 * 3600;
    private readonly GbmInstrument[] _instruments;

    /// <summary>Creates the source.</summary>
    /// <param name="instruments">The instruments, in the order of the correlation matrix rows.</param>
    /// <param name="correlation">Correlation of the Brownian shocks; its size must equal the instrument count.</param>
    /// <param name="seed">Seed of the generator.</param>
    /// <param name="start">Time of the first ticks.</param>
    /// <param name="step">Time between steps (positive).</param>
    /// <param name="steps">Number of steps after the initial ticks (≥ 0); the source then ends.</param>
    /// <exception cref="ArgumentException">A parameter is invalid; the message names it.</exception>
    public CorrelatedGbmSource(
        IReadOnlyList<GbmInstrument> instruments,
        CorrelationMatrix correlation,
        ulong seed,
        DateTimeOffset start,
        TimeSpan step,
        int steps)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        ArgumentNullException.ThrowIfNull(correlation);
        if (instruments.Count == 0)
        {
            throw new ArgumentException("At least one GBM instrument is needed.", nameof(instruments));
        }

        foreach (GbmInstrument instrument in instruments)
        {
            instrument.Validate();
        }

        if (correlation.Size != instruments.Count)
        {
            throw new ArgumentException(
                $"Correlation matrix is {correlation.Size}x{correlation.Size} but there are {instruments.Count} instruments.", nameof(correlation));
        }

        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(step, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(steps);
        _instruments = [.. instruments];
        Correlation = correlation;
        Seed = seed;
        Start = start;
        Step = step;
        Steps = steps;
    }

    /// <summary>Correlation of the Brownian shocks.</summary>
    public CorrelationMatrix Correlation { get; }

    /// <summary>Generator seed.</summary>
    public ulong Seed { get; }

    /// <summary>Time of the first ticks.</summary>
    public DateTimeOffset Start { get; }

    /// <summary>Time between steps.</summary>
    public TimeSpan Step { get; }

    /// <summary>Number of steps after the initial ticks.</summary>
    public int Steps { get; }

    /// <inheritdoc />
    public IEnumerable<Tick> Ticks()
    {
        int n = _instruments.Length;
        var rng = new Xoshiro256StarStar(Seed);
        double dt = Step.TotalSeconds / SecondsPerYear;
        double sqrtDt = Math.Sqrt(dt);
        var logPrice = new double[n];
        var independent = new double[n];
        var correlated = new double[n];
        for (int i = 0; i < n; i++)
        {
            logPrice[i] = DeterministicMath.Log((double)_instruments[i].InitialPrice);
            yield return new Tick(_instruments[i].Instrument, Start, Round(_instruments[i].InitialPrice, _instruments[i].TickSize));
        }

        for (int s = 1; s <= Steps; s++)
        {
            for (int i = 0; i < n; i++)
            {
                independent[i] = rng.NextGaussian();
            }

            Correlation.Correlate(independent, correlated);
            DateTimeOffset time = Start.AddTicks(checked(Step.Ticks * s));
            for (int i = 0; i < n; i++)
            {
                GbmInstrument g = _instruments[i];
                double diffusion = ((g.Drift - (0.5 * g.Volatility * g.Volatility)) * dt) + (g.Volatility * sqrtDt * correlated[i]);
                logPrice[i] += diffusion + Jumps(rng, g, dt);
                double price = DeterministicMath.Exp(logPrice[i]);
                yield return new Tick(g.Instrument, time, ToDecimalPrice(price, g));
            }
        }
    }

    private static double Jumps(Xoshiro256StarStar rng, GbmInstrument g, double dt)
    {
        if (g.JumpIntensity <= 0)
        {
            return 0.0;
        }

        // Knuth's Poisson sampler: count uniforms until their product drops below e^(−λΔt).
        double threshold = DeterministicMath.Exp(-g.JumpIntensity * dt);
        double product = rng.NextDouble();
        double total = 0.0;
        while (product > threshold)
        {
            total += g.JumpMean + (g.JumpStdDev * rng.NextGaussian());
            product *= rng.NextDouble();
        }

        return total;
    }

    private static decimal ToDecimalPrice(double price, GbmInstrument g)
    {
        const double MaxPrice = 1e20;
        decimal value = price >= MaxPrice ? (decimal)MaxPrice : (decimal)price;
        return Round(value, g.TickSize);
    }

    private static decimal Round(decimal price, decimal tick)
    {
        decimal rounded = PriceRounding.ToTick(price, tick);
        return rounded > 0 ? rounded : tick;
    }
}
