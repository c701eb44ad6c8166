namespace CrossMargin.Engine.Reporting;

/// <summary>Runs one scenario end to end and reports what happened: the engine side of <c>crossmargin simulate</c>.</summary>
/// <remarks>
/// Implementations build the actor system for the run and tear it down before returning. One call at a
/// time per instance. The CLI calls <see cref="RunAsync"/> once per margin mode under <c>--compare-modes</c>.
/// </remarks>
public interface ISimulationRunner
{
    /// <summary>Runs <paramref name="request"/> to the end of its scenario, or until <paramref name="cancellationToken"/> fires.</summary>
    /// <param name="request">What to run.</param>
    /// <param name="progress">Receives cumulative figures a few times per second (from any thread); may be a no-op.</param>
    /// <param name="cancellationToken">Ctrl-C. On cancellation the runner stops feeding ticks, drains, finishes the journal and returns a report with <see cref="SimulationReport.Partial"/> set; it throws <see cref="OperationCanceledException"/> only if it cannot produce one.</param>
    /// <returns>The report, with invariants checked. A violated invariant is reported, not thrown; the CLI exits 1.</returns>
    /// <exception cref="RunInputException">The scenario, tick files or journal are unusable; the message says where.</exception>
    Task<SimulationReport> RunAsync(SimulationRequest request, IProgress<SimulationProgress> progress, CancellationToken cancellationToken);
}
