namespace CrossMargin.Engine.Reporting;

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
