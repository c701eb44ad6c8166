using System.Globalization;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.LoadTest;

/// <summary>
/// What one <c>crossmargin loadtest</c> run does. <see cref="Errors"/> lists every value out of its accepted range,
/// each naming the option (<c>--tick-rate: 0 is out of range; accepted 1..1,000,000</c>).
/// </summary>
public sealed record LoadTestSettings
{
    /// <summary>Bounds of <see cref="Accounts"/>.</summary>
    public const int MinAccounts = 1, MaxAccounts = 10_000_000;

    /// <summary>Bounds of <see cref="Instruments"/>.</summary>
    public const int MinInstruments = 1, MaxInstruments = 50;

    /// <summary>Bounds of <see cref="TickRate"/> and <see cref="MaxRate"/> (ticks per second).</summary>
    public const int MinRate = 1, MaxRateLimit = 1_000_000;

    /// <summary>Bounds of <see cref="Duration"/> and <see cref="StepDuration"/>.</summary>
    public static readonly TimeSpan MinDuration = TimeSpan.FromSeconds(1), MaxDuration = TimeSpan.FromHours(24);

    /// <summary>Trading accounts (the market maker is extra).</summary>
    public int Accounts { get; init; } = 10_000;

    /// <summary>Instruments ticked, round-robin; beyond the configured ones, copies of them are added.</summary>
    public int Instruments { get; init; } = 5;

    /// <summary>Offered ticks per second (the first step with <see cref="StepUp"/>).</summary>
    public int TickRate { get; init; } = 1_000;

    /// <summary>Length of the run (ignored with <see cref="StepUp"/>, where steps decide).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Raise the rate by <see cref="StepFactor"/> every <see cref="StepDuration"/> until a step fails.</summary>
    public bool StepUp { get; init; }

    /// <summary>Length of one step.</summary>
    public TimeSpan StepDuration { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Rate multiplier between steps, 1.1..10.</summary>
    public double StepFactor { get; init; } = 1.5;

    /// <summary>Highest rate step-up tries.</summary>
    public int MaxRate { get; init; } = 200_000;

    /// <summary>A step fails when its p99 tick latency exceeds this.</summary>
    public TimeSpan P99Bound { get; init; } = TimeSpan.FromMilliseconds(20);

    /// <summary>A step fails when its last tick was this far behind schedule (growing backlog).</summary>
    public TimeSpan BacklogBound { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Fall of every instrument's price over the run (0.3 = −30%), 0..0.9, so margin calls and liquidations happen.</summary>
    public decimal Drop { get; init; } = 0.3m;

    /// <summary>Seed of the population and the price noise.</summary>
    public ulong Seed { get; init; } = 42;

    /// <summary>Where events are journaled.</summary>
    public JournalTarget Journal { get; init; } = JournalTarget.InMemory;

    /// <summary>How cascade rounds are run against the tick stream.</summary>
    public CascadeMode Cascade { get; init; } = CascadeMode.Spread;

    /// <summary>Bounds of <see cref="RoundActions"/>.</summary>
    public const int MinRoundActions = 1, MaxRoundActions = 1_000_000;

    /// <summary>With <see cref="CascadeMode.Spread"/>: fills and waterfalls per round; the rest wait for the next round.</summary>
    public int RoundActions { get; init; } = 64;

    /// <summary>With <see cref="CascadeMode.Spread"/>: while the engine is behind schedule, a round still runs at least this often.</summary>
    public TimeSpan RoundInterval { get; init; } = TimeSpan.FromMilliseconds(5);

    /// <summary>Every out-of-range value, as messages naming the option; empty when all are valid.</summary>
    public IReadOnlyList<string> Errors()
    {
        var errors = new List<string>();
        Range(errors, "--accounts", Accounts, MinAccounts, MaxAccounts);
        Range(errors, "--instruments", Instruments, MinInstruments, MaxInstruments);
        Range(errors, "--tick-rate", TickRate, MinRate, MaxRateLimit);
        Range(errors, "--max-rate", MaxRate, MinRate, MaxRateLimit);
        Span(errors, "--duration", Duration);
        Span(errors, "--step-duration", StepDuration);
        if (StepUp && MaxRate < TickRate)
        {
            errors.Add($"--max-rate: {MaxRate.ToString("#,0", CultureInfo.InvariantCulture)} is below --tick-rate {TickRate.ToString("#,0", CultureInfo.InvariantCulture)}; accepted --tick-rate..1,000,000");
        }

        if (double.IsNaN(StepFactor) || StepFactor < 1.1 || StepFactor > 10)
        {
            errors.Add($"--step-factor: {StepFactor.ToString(CultureInfo.InvariantCulture)} is out of range; accepted 1.1..10");
        }

        if (P99Bound <= TimeSpan.Zero || P99Bound > TimeSpan.FromMinutes(1))
        {
            errors.Add($"--p99-bound: {P99Bound} is out of range; accepted 1 µs..1 min");
        }

        if (BacklogBound <= TimeSpan.Zero || BacklogBound > TimeSpan.FromMinutes(10))
        {
            errors.Add($"--backlog-bound: {BacklogBound} is out of range; accepted 1 µs..10 min");
        }

        Range(errors, "--round-actions", RoundActions, MinRoundActions, MaxRoundActions);
        if (RoundInterval < TimeSpan.FromMilliseconds(0.1) || RoundInterval > TimeSpan.FromSeconds(10))
        {
            errors.Add($"--round-interval: {RoundInterval.TotalMilliseconds.ToString(CultureInfo.InvariantCulture)}ms is out of range; accepted 0.1ms..10s");
        }

        if (Drop is < 0m or > 0.9m)
        {
            errors.Add($"--drop: {Drop.ToString(CultureInfo.InvariantCulture)} is out of range; accepted 0..0.9");
        }

        return errors;
    }

    /// <summary>The rate steps (rate, duration) the run offers.</summary>
    public IReadOnlyList<RatePhase> Phases()
    {
        if (!StepUp)
        {
            return [new RatePhase(TickRate, (long)Duration.TotalNanoseconds)];
        }

        var phases = new List<RatePhase>();
        var step = (long)StepDuration.TotalNanoseconds;
        for (double rate = TickRate; phases.Count < 64; rate *= StepFactor)
        {
            var r = (long)Math.Min(Math.Round(rate), MaxRate);
            phases.Add(new RatePhase(r, step));
            if (r >= MaxRate)
            {
                break;
            }
        }

        return phases;
    }

    private static void Range(List<string> errors, string option, long value, long min, long max)
    {
        if (value < min || value > max)
        {
            errors.Add($"{option}: {value.ToString(CultureInfo.InvariantCulture)} is out of range; accepted {min.ToString("#,0", CultureInfo.InvariantCulture)}..{max.ToString("#,0", CultureInfo.InvariantCulture)}");
        }
    }

    private static void Span(List<string> errors, string option, TimeSpan value)
    {
        if (value < MinDuration || value > MaxDuration)
        {
            errors.Add($"{option}: {value.TotalSeconds.ToString(CultureInfo.InvariantCulture)}s is out of range; accepted 1s..24h");
        }
    }
}
