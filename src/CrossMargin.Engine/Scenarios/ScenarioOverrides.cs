using CrossMargin.Engine.Reporting;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// What the command line changes in a scenario. Applied in this order on top of the configuration:
/// the scenario file, then <see cref="Sets"/>, then the typed options (<see cref="Accounts"/>, <see cref="Seed"/>,
/// <see cref="MarginMode"/>, <see cref="TickFiles"/>), so a typed option wins over a <c>--set</c> of the same key.
/// </summary>
public sealed record ScenarioOverrides
{
    /// <summary>No overrides: load the scenario already present in the configuration (<c>crossmargin.scenario</c>).</summary>
    public static ScenarioOverrides None { get; } = new();

    /// <summary>Built-in scenario name (<c>crash</c>) or a path to a <c>.conf</c> file; null uses the scenario already in the configuration.</summary>
    public string? Scenario { get; init; }

    /// <summary>Where built-in scenario names are looked up; null = <see cref="ScenarioCatalog.Default"/>.</summary>
    public ScenarioCatalog? Catalog { get; init; }

    /// <summary><c>--accounts</c>: sets <c>crossmargin.engine.population.accounts</c>.</summary>
    public int? Accounts { get; init; }

    /// <summary><c>--seed</c>: sets <c>crossmargin.engine.seed</c>.</summary>
    public ulong? Seed { get; init; }

    /// <summary><c>--margin-mode</c>: sets <c>crossmargin.engine.margin-mode</c>.</summary>
    public RiskMarginMode? MarginMode { get; init; }

    /// <summary><c>--set key=value</c> pairs, in order (HOCON values).</summary>
    public IReadOnlyList<ConfigOverride> Sets { get; init; } = [];

    /// <summary><c>--ticks FILE…</c>: replaces <c>crossmargin.scenario.historical.ticks</c>.</summary>
    public IReadOnlyList<string> TickFiles { get; init; } = [];

    /// <summary><c>--skip-bad-rows</c>: sets <c>crossmargin.engine.feeds.skip-bad-rows = on</c> when true.</summary>
    public bool SkipBadRows { get; init; }

    /// <summary>The overrides a <c>simulate</c> request carries (scenario, <c>--set</c> pairs, accounts, seed, margin mode, tick files, skip-bad-rows).</summary>
    public static ScenarioOverrides FromRequest(SimulationRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return new ScenarioOverrides
        {
            Scenario = request.Scenario,
            Sets = request.Overrides,
            Accounts = request.Accounts,
            Seed = request.Seed,
            MarginMode = request.MarginMode is { } m ? ToRisk(m) : null,
            TickFiles = request.TickFiles,
            SkipBadRows = request.SkipBadRows,
        };
    }

    /// <summary>Maps the CLI's margin mode onto the risk core's.</summary>
    public static RiskMarginMode ToRisk(Reporting.MarginMode mode) => mode switch
    {
        Reporting.MarginMode.Isolated => RiskMarginMode.Isolated,
        Reporting.MarginMode.Portfolio => RiskMarginMode.Portfolio,
        _ => RiskMarginMode.Cross,
    };
}
