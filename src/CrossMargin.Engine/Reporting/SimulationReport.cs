using System.Text.Json.Serialization;

namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Everything a finished (or interrupted) simulation run reports: the summary figures the CLI prints,
/// the time series and distributions <c>report.html</c> charts, the invariant results and every
/// account's fate. Filled by the engine, rendered by the CLI, written by <see cref="ReportJsonWriter"/>.
/// </summary>
/// <remarks>
/// Money is exact (<see cref="decimal"/>, in the settlement currency). Times inside series are simulated
/// (virtual clock) instants, so the same scenario and seed give the same report except for the
/// measured fields <see cref="EventsPerSecond"/>, <see cref="WallTime"/> and <see cref="PeakMemoryBytes"/>.
/// Series must already be bounded (see <see cref="SeriesDownsampler"/>); the writers do not downsample.
/// Immutable once built; safe to share between threads.
/// </remarks>
public sealed record SimulationReport
{
    /// <summary>The JSON schema version this model writes; readers refuse other versions.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>Schema version of the report; <see cref="CurrentSchemaVersion"/> for reports built by this code.</summary>
    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>Scenario name (e.g. <c>crash</c>) or the file it came from.</summary>
    public required string Scenario { get; init; }

    /// <summary>Margin mode the run used.</summary>
    public required MarginMode MarginMode { get; init; }

    /// <summary>Seed of every random choice in the run (population, synthetic ticks).</summary>
    public required ulong Seed { get; init; }

    /// <summary>Where the run's journal lives, as typed on the command line (<c>sqlite:PATH</c>, <c>postgres:…</c> without password, <c>inmem</c>).</summary>
    public string Journal { get; init; } = "";

    /// <summary>True when the run was interrupted (Ctrl-C) and the figures cover only part of the scenario.</summary>
    public bool Partial { get; init; }

    /// <summary>Simulated instant of the first tick.</summary>
    public DateTimeOffset SimulatedStart { get; init; }

    /// <summary>Simulated instant of the last tick.</summary>
    public DateTimeOffset SimulatedEnd { get; init; }

    /// <summary>Number of trading accounts (the market maker not included).</summary>
    public long Accounts { get; init; }

    /// <summary>Price ticks processed, all instruments together.</summary>
    public long Ticks { get; init; }

    /// <summary>Events written to the journal.</summary>
    public long Events { get; init; }

    /// <summary>Margin calls issued.</summary>
    public long MarginCalls { get; init; }

    /// <summary>Liquidation fills (count) and their notional.</summary>
    public CountAndNotional Liquidations { get; init; } = CountAndNotional.Zero;

    /// <summary>Cascade rounds executed over the run, all cascades together.</summary>
    public long CascadeRounds { get; init; }

    /// <summary>The highest round number any single cascade reached (round 1 = set off by a price move, round n+1 by round n's impact).</summary>
    public int DeepestCascadeRound { get; init; }

    /// <summary>Insurance fund at the start, its minimum during the run, and at the end.</summary>
    public InsuranceFundSummary InsuranceFund { get; init; } = new(0m, 0m, 0m);

    /// <summary>Losses of bankrupt accounts beyond their collateral (before the insurance fund covers them).</summary>
    public decimal BadDebt { get; init; }

    /// <summary>Auto-deleveraging fills (count) and their notional.</summary>
    public CountAndNotional Adl { get; init; } = CountAndNotional.Zero;

    /// <summary>Loss left after collateral, insurance fund and ADL, spread over the remaining accounts.</summary>
    public decimal SocializedLoss { get; init; }

    /// <summary>Journal events per wall-clock second (measured; varies run to run).</summary>
    public double EventsPerSecond { get; init; }

    /// <summary>Wall-clock duration of the run (measured).</summary>
    public TimeSpan WallTime { get; init; }

    /// <summary>Peak working set of the process during the run, in bytes (measured).</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>Hash of the journal's content at the end of the run, lower-case hex; replay recomputes and compares it.</summary>
    public string JournalHash { get; init; } = "";

    /// <summary>Every invariant checked at the end of the run, in check order.</summary>
    public IReadOnlyList<InvariantResult> Invariants { get; init; } = [];

    /// <summary>Index and mark per instrument over time, ordered by instrument.</summary>
    public IReadOnlyList<InstrumentSeries> Instruments { get; init; } = [];

    /// <summary>Liquidation fills per simulated second (a value is a rate, averaged when seconds were merged to bound the series).</summary>
    public IReadOnlyList<TimePoint> LiquidationsPerSecond { get; init; } = [];

    /// <summary>Insurance fund balance over time.</summary>
    public IReadOnlyList<TimePoint> InsuranceFundSeries { get; init; } = [];

    /// <summary>Distribution of accounts' margin ratio at the first tick; same bucket bounds as <see cref="MarginRatioAfter"/>.</summary>
    public IReadOnlyList<HistogramBucket> MarginRatioBefore { get; init; } = [];

    /// <summary>Distribution of accounts' margin ratio at the end of the run.</summary>
    public IReadOnlyList<HistogramBucket> MarginRatioAfter { get; init; } = [];

    /// <summary>
    /// Final fate of every account that was not <see cref="AccountFate.Healthy"/>, keyed by account id;
    /// an account absent from the map was healthy throughout (this keeps 100,000-account reports small).
    /// </summary>
    public IReadOnlyDictionary<string, AccountFate> AccountFates { get; init; } = new Dictionary<string, AccountFate>();

    /// <summary>True when every invariant passed (vacuously true when none was checked).</summary>
    [JsonIgnore]
    public bool InvariantsHeld => Invariants.All(i => i.Passed);

    /// <summary>The fate of <paramref name="accountId"/>: its entry in <see cref="AccountFates"/>, or <see cref="AccountFate.Healthy"/>.</summary>
    public AccountFate FateOf(string accountId) =>
        AccountFates.TryGetValue(accountId, out var fate) ? fate : AccountFate.Healthy;
}

/// <summary>A count of fills and their total notional (exact, settlement currency).</summary>
/// <param name="Count">Number of fills.</param>
/// <param name="Notional">Sum of |quantity| × price over the fills.</param>
public sealed record CountAndNotional(long Count, decimal Notional)
{
    /// <summary>No fills.</summary>
    public static CountAndNotional Zero { get; } = new(0, 0m);
}

/// <summary>Insurance fund balance at three moments of a run.</summary>
/// <param name="Start">Balance before the first tick.</param>
/// <param name="Minimum">Lowest balance reached during the run.</param>
/// <param name="End">Balance after the last tick.</param>
public sealed record InsuranceFundSummary(decimal Start, decimal Minimum, decimal End);
