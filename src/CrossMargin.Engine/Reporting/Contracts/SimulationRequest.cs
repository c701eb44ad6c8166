namespace CrossMargin.Engine.Reporting;

/// <summary>What <c>crossmargin simulate</c> asks the engine to run. Options left null take the scenario's (HOCON) values.</summary>
/// <remarks>The CLI validates ranges before building a request (accounts 1..10,000,000, known margin mode, parseable journal).</remarks>
public sealed record SimulationRequest
{
    /// <summary>Scenario name under <c>hocon/scenarios</c> (e.g. <c>crash</c>) or a path to a <c>.conf</c> file.</summary>
    public required string Scenario { get; init; }

    /// <summary>True when <see cref="Scenario"/> names a file (it ends in <c>.conf</c> or contains a path separator).</summary>
    public bool ScenarioIsFile => Scenario.EndsWith(".conf", StringComparison.OrdinalIgnoreCase)
        || Scenario.Contains('/', StringComparison.Ordinal) || Scenario.Contains('\\', StringComparison.Ordinal);

    /// <summary>Number of trading accounts; null for the scenario's population count.</summary>
    public int? Accounts { get; init; }

    /// <summary>Seed of every random choice; null for the scenario's seed.</summary>
    public ulong? Seed { get; init; }

    /// <summary>Where to journal the run. The engine must not rewrite or lose anything already journaled there.</summary>
    public required JournalTarget Journal { get; init; }

    /// <summary>Margin mode; null for the scenario's.</summary>
    public MarginMode? MarginMode { get; init; }

    /// <summary>Tick files for the <c>historical</c> scenario (<c>--ticks FILE…</c>): plain CSV or Binance kline/trade CSV.</summary>
    public IReadOnlyList<string> TickFiles { get; init; } = [];

    /// <summary><c>--set key=value</c> overrides, in order, applied on top of the scenario (the typed options above win over a <c>--set</c> of the same key).</summary>
    public IReadOnlyList<ConfigOverride> Overrides { get; init; } = [];

    /// <summary>Which engine runs the scenario (<c>--engine direct|actors</c>); default <see cref="EngineKind.Direct"/>.</summary>
    public EngineKind Engine { get; init; } = EngineKind.Direct;

    /// <summary>Skip malformed tick rows (counting them) instead of refusing the file.</summary>
    public bool SkipBadRows { get; init; }

    /// <summary>Identifies the run inside a shared journal (PostgreSQL) and names its report folder, e.g. <c>crash-cross-seed42</c>.</summary>
    public required string RunId { get; init; }
}
