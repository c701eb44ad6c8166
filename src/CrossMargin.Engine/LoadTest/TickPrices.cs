using CrossMargin.Engine.Scenarios;

namespace CrossMargin.Engine.LoadTest;

/// <summary>
/// The load test's index prices: each instrument falls linearly by <c>drop</c> over the schedule (a crash spread over
/// the run, so margin calls and liquidations keep coming) with ±0.02% of seeded noise per tick, on the tick grid.
/// Pure and allocation-free.
/// </summary>
public sealed class TickPrices
{
    private readonly decimal[] _initial;
    private readonly decimal[] _tickSize;
    private readonly decimal _drop;
    private readonly long _durationNanos;
    private readonly ulong _seed;

    /// <summary>Prices for <paramref name="instruments"/> over a schedule of <paramref name="durationNanos"/>.</summary>
    public TickPrices(IReadOnlyList<InstrumentMarket> instruments, decimal drop, long durationNanos, ulong seed)
    {
        ArgumentNullException.ThrowIfNull(instruments);
        _initial = instruments.Select(i => i.InitialPrice).ToArray();
        _tickSize = instruments.Select(i => i.Spec.TickSize).ToArray();
        _drop = drop;
        _durationNanos = Math.Max(1, durationNanos);
        _seed = seed;
    }

    /// <summary>The index of instrument <paramref name="instrument"/> for tick <paramref name="tick"/> scheduled at <paramref name="scheduledNanos"/>.</summary>
    public decimal Price(long tick, int instrument, long scheduledNanos)
    {
        var progress = Math.Min(1m, (decimal)scheduledNanos / _durationNanos);
        var noise = ((decimal)(Mix(unchecked(_seed + (ulong)tick)) % 401) - 200m) / 1_000_000m; // ±0.02%
        var price = _initial[instrument] * (1m - (_drop * progress) + noise);
        var size = _tickSize[instrument];
        return Math.Max(size, Math.Round(price / size, MidpointRounding.ToEven) * size);
    }

    private static ulong Mix(ulong z)
    {
        unchecked
        {
            z += 0x9E3779B97F4A7C15;
            z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
            z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
            return z ^ (z >> 31);
        }
    }
}
