namespace CrossMargin.Engine.Reporting;

/// <summary>Rebuilds every actor of a journaled run from snapshots and events: the engine side of <c>crossmargin replay</c>.</summary>
/// <remarks>Read-only: a replay never writes to the journal. One call at a time per instance.</remarks>
public interface IReplayRunner
{
    /// <summary>Replays <paramref name="request"/>'s journal up to its bound (or the end) and hashes the rebuilt state.</summary>
    /// <param name="request">What to replay.</param>
    /// <param name="progress">Receives events replayed so far (from any thread); may be a no-op.</param>
    /// <param name="cancellationToken">Ctrl-C; replay stops and throws <see cref="OperationCanceledException"/>.</param>
    /// <exception cref="RunInputException">The journal is missing, empty, or of another schema version.</exception>
    Task<ReplayResult> ReplayAsync(ReplayRequest request, IProgress<ReplayProgress> progress, CancellationToken cancellationToken);
}
