namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Re-executes a journaled run's recorded inputs with changed parameters into a fresh journal: the
/// engine side of <c>crossmargin what-if</c>.
/// </summary>
/// <remarks>Never writes to the source journal. One call at a time per instance.</remarks>
public interface IWhatIfRunner
{
    /// <summary>Runs the what-if and returns both outcomes; the CLI sets them side by side and lists fate changes.</summary>
    /// <param name="request">Source, target and overrides.</param>
    /// <param name="progress">Progress of the re-execution (from any thread); may be a no-op.</param>
    /// <param name="cancellationToken">Ctrl-C; the changed report comes back with <see cref="SimulationReport.Partial"/> set.</param>
    /// <exception cref="RunInputException">The source journal is unusable, the target is not fresh, or an override names an unknown key or has a value of the wrong type.</exception>
    Task<WhatIfResult> RunAsync(WhatIfRequest request, IProgress<SimulationProgress> progress, CancellationToken cancellationToken);
}

/// <summary>What <c>crossmargin what-if</c> asks for.</summary>
public sealed record WhatIfRequest
{
    /// <summary>The recorded run (read only).</summary>
    public required JournalTarget SourceJournal { get; init; }

    /// <summary>A fresh journal for the re-execution; the engine refuses one that already holds events.</summary>
    public required JournalTarget TargetJournal { get; init; }

    /// <summary>The changed parameters, applied in order on top of the recorded run's configuration.</summary>
    public required IReadOnlyList<ConfigOverride> Overrides { get; init; }

    /// <summary>The run to re-execute in a journal holding several; null for the only or latest run.</summary>
    public string? RunId { get; init; }
}

/// <summary>Both outcomes of a what-if.</summary>
/// <param name="Baseline">The recorded run, as reported from its journal.</param>
/// <param name="Changed">The re-execution with the overrides.</param>
public sealed record WhatIfResult(SimulationReport Baseline, SimulationReport Changed);
