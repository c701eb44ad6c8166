namespace CrossMargin.Engine.LoadTest;

/// <summary>Percentiles of one latency histogram, in milliseconds.</summary>
/// <param name="Count">Samples.</param>
/// <param name="P50">Median.</param>
/// <param name="P90">90th percentile.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="P999">99.9th percentile.</param>
/// <param name="Max">Largest sample.</param>
/// <param name="Mean">Mean.</param>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    /// <summary>Summarises <paramref name="h"/> (ns values) in milliseconds.</summary>
    public static LatencySummary From(LatencyHistogram h)
    {
        ArgumentNullException.ThrowIfNull(h);
        return new LatencySummary(h.Count, Ms(h.Percentile(50)), Ms(h.Percentile(90)), Ms(h.Percentile(99)), Ms(h.Percentile(99.9)), Ms(h.Max), Math.Round(h.Mean / 1e6, 4));
    }

    private static double Ms(long nanos) => Math.Round(nanos / 1e6, 4);
}

/// <summary>One rate step (or the single phase of a constant-rate run).</summary>
/// <param name="OfferedRate">Scheduled ticks per second.</param>
/// <param name="Ticks">Ticks processed.</param>
/// <param name="AchievedRate">Ticks per second actually processed over the step.</param>
/// <param name="Latency">Tick → margin decision.</param>
/// <param name="BacklogAtEnd">Ticks due but unprocessed at the step's end.</param>
/// <param name="LagAtEndMs">How far behind schedule the step ended.</param>
/// <param name="Passed">p99 within the bound and lag within the backlog bound.</param>
public sealed record StepResult(long OfferedRate, long Ticks, double AchievedRate, LatencySummary Latency, long BacklogAtEnd, double LagAtEndMs, bool Passed);

/// <summary>Latency of the ticks scheduled in one second, ms.</summary>
/// <param name="Second">Second of the schedule.</param>
/// <param name="Ticks">Ticks.</param>
/// <param name="P50">Median.</param>
/// <param name="P99">99th percentile.</param>
/// <param name="Max">Largest.</param>
public sealed record LatencyPoint(long Second, long Ticks, double P50, double P99, double Max);

/// <summary>One bar of the latency histogram, ms (a range of the log-linear buckets merged for display).</summary>
/// <param name="LowerMs">Inclusive lower bound.</param>
/// <param name="UpperMs">Exclusive upper bound.</param>
/// <param name="Count">Ticks.</param>
public sealed record LatencyBar(double LowerMs, double UpperMs, long Count);

/// <summary>How many events of one kind the window journaled.</summary>
/// <param name="Kind">The event's type name (e.g. <c>WaterfallSettled</c>, <c>IndexTickReceived</c>).</param>
/// <param name="Count">Events.</param>
public sealed record EventKindCount(string Kind, long Count);

/// <summary>Garbage collector and memory figures over the injection window.</summary>
/// <param name="PauseTotalMs">Σ GC pauses (GC.GetTotalPauseDuration).</param>
/// <param name="PausePercent">Pauses as a share of the window.</param>
/// <param name="Gen0">Generation-0 collections.</param>
/// <param name="Gen1">Generation-1 collections.</param>
/// <param name="Gen2">Generation-2 collections.</param>
/// <param name="AllocatedBytes">Bytes allocated (all threads).</param>
/// <param name="AllocationRateBytesPerSecond">Allocated ÷ window.</param>
/// <param name="HeapBytesAtEnd">Managed heap size at the end.</param>
/// <param name="PeakWorkingSetBytes">Process peak working set.</param>
public sealed record GcFigures(double PauseTotalMs, double PausePercent, int Gen0, int Gen1, int Gen2, long AllocatedBytes, double AllocationRateBytesPerSecond, long HeapBytesAtEnd, long PeakWorkingSetBytes);

/// <summary>
/// The result of <c>crossmargin loadtest</c>, written as <c>report.json</c> (with <see cref="Reporting.ReportJson.Options"/>).
/// Every figure is measured; none is deterministic.
/// </summary>
public sealed record LoadTestReport
{
    /// <summary>Schema of this file; readers refuse others.</summary>
    public int SchemaVersion { get; init; } = 1;

    /// <summary>Always <c>loadtest</c> (tells it apart from a simulation report).</summary>
    public string Kind { get; init; } = "loadtest";

    /// <summary>True when interrupted (Ctrl-C): the figures cover what ran.</summary>
    public bool Partial { get; init; }

    /// <summary>When interrupted: ticks that were due but never processed (not in the latency figures).</summary>
    public long BacklogAtStop { get; init; }

    /// <summary>Wall-clock start (UTC), for the record.</summary>
    public DateTimeOffset StartedAt { get; init; }

    /// <summary><c>cores, OS, runtime</c> of the machine.</summary>
    public string Machine { get; init; } = "";

    /// <summary>Trading accounts.</summary>
    public int Accounts { get; init; }

    /// <summary>Instruments ticked.</summary>
    public IReadOnlyList<string> Instruments { get; init; } = [];

    /// <summary>Offered rate (first step with step-up).</summary>
    public long TickRate { get; init; }

    /// <summary>Planned duration in seconds (all steps with step-up).</summary>
    public double DurationSeconds { get; init; }

    /// <summary>Whether the rate was stepped up.</summary>
    public bool StepUp { get; init; }

    /// <summary>The journal (password masked).</summary>
    public string Journal { get; init; } = "";

    /// <summary>Seeding and first classification of every account, seconds (not part of the window).</summary>
    public double SetupSeconds { get; init; }

    /// <summary>Injection window: first scheduled tick → last tick processed, seconds.</summary>
    public double RunSeconds { get; init; }

    /// <summary>Writing the journal's tail after the last tick, seconds.</summary>
    public double DrainSeconds { get; init; }

    /// <summary>
    /// False when an interrupted run stopped waiting for its last journal write (bounded so Ctrl-C finishes within a
    /// shutdown window): the journal figures then miss that batch and the journal may end before the last tick.
    /// </summary>
    public bool JournalDrained { get; init; } = true;

    /// <summary>Set when Ctrl-C came during a tick that did not finish within the bounded wait: what was cut short (the figures are then mostly empty).</summary>
    public string? Interruption { get; init; }

    /// <summary>Ticks processed.</summary>
    public long Ticks { get; init; }

    /// <summary>Events journaled during the window.</summary>
    public long Events { get; init; }

    /// <summary>Transitions into Warning during the window.</summary>
    public long MarginCalls { get; init; }

    /// <summary>Liquidation fills during the window.</summary>
    public long Liquidations { get; init; }

    /// <summary>How cascade rounds ran: <c>spread</c> (between ticks, capped per round) or <c>inline</c> (to quiet on the triggering tick).</summary>
    public string Cascade { get; init; } = "inline";

    /// <summary>With <c>spread</c>: the cap on fills and waterfalls per round.</summary>
    public int? RoundActions { get; init; }

    /// <summary>Cascade rounds run during the window.</summary>
    public long Rounds { get; init; }

    /// <summary>Liquidation requests still queued when the window ended (a cascade not yet worked off).</summary>
    public long PendingLiquidationsAtEnd { get; init; }

    /// <summary>Working off the queued cascade after the window (rounds until quiet), seconds; not part of the tick figures.</summary>
    public double CascadeDrainSeconds { get; init; }

    /// <summary>Rounds run after the window.</summary>
    public long CascadeDrainRounds { get; init; }

    /// <summary>Liquidation fills after the window.</summary>
    public long CascadeDrainLiquidations { get; init; }

    /// <summary>Ticks processed per second of the window.</summary>
    public double TicksPerSecond { get; init; }

    /// <summary>Events journaled per second.</summary>
    public double EventsPerSecond { get; init; }

    /// <summary>Events other than the ticks themselves (account re-margin outcomes, fills, impacts) per second.</summary>
    public double AccountUpdatesPerSecond { get; init; }

    /// <summary>Band wake-ups per tick (accounts whose band the tick's new price left): what a tick's cost should follow.</summary>
    public double WokenPerTick { get; init; }

    /// <summary>Account re-margins per tick, wake-ups and cascade rounds together (each one band computation).</summary>
    public double RemarginsPerTick { get; init; }

    /// <summary>Bytes allocated per tick over the window (every thread: engine, journal and re-margin workers).</summary>
    public double AllocatedBytesPerTick { get; init; }

    /// <summary>Journal batches written during the window (batches grow with load: the writer hands over when the journal is idle).</summary>
    public long JournalBatches { get; init; }

    /// <summary>Events of the window by kind, most numerous first (they sum to <see cref="Events"/>).</summary>
    public IReadOnlyList<EventKindCount> EventsByKind { get; init; } = [];

    /// <summary>Tick scheduled → every woken account re-margined (and, with <c>inline</c>, the cascade run), every tick.</summary>
    public required LatencySummary TickToMarginDecision { get; init; }

    /// <summary>The same, only for ticks that put accounts at risk (journaled more than the tick itself).</summary>
    public required LatencySummary ActiveTickToMarginDecision { get; init; }

    /// <summary>An account's margin call (its move into Warning or worse) → each of its liquidation fills, the window and the cascade drain after it.</summary>
    public required LatencySummary MarginCallToLiquidationFilled { get; init; }

    /// <summary>Batch write call → durable.</summary>
    public required LatencySummary JournalWrite { get; init; }

    /// <summary>Oldest event of a batch appended → durable.</summary>
    public required LatencySummary JournalLag { get; init; }

    /// <summary>GC and memory.</summary>
    public required GcFigures Gc { get; init; }

    /// <summary>Per rate step.</summary>
    public IReadOnlyList<StepResult> Steps { get; init; } = [];

    /// <summary>Highest offered rate whose step passed (step-up), null when none did or without step-up.</summary>
    public long? SaturationRate { get; init; }

    /// <summary>Why step-up stopped.</summary>
    public string? SaturationReason { get; init; }

    /// <summary>Latency per second of the schedule.</summary>
    public IReadOnlyList<LatencyPoint> LatencyOverTime { get; init; } = [];

    /// <summary>Distribution of tick → margin decision.</summary>
    public IReadOnlyList<LatencyBar> Histogram { get; init; } = [];
}
