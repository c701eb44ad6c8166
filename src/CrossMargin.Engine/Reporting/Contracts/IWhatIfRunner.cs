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
