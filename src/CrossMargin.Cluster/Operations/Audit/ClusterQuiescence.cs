using System.Diagnostics;
using Npgsql;

namespace CrossMargin.Cluster.Operations.Audit;

/// <summary>
/// Waits until a cluster has gone quiet after a run: no inbox message pending and no journal row written for a while.
/// The last reply a client gets does not end a cascade — the coordinator still runs rounds (some waiting on a
/// liquidation cooldown, some after a takeover re-sending its last round), so an audit taken at once can catch accounts
/// still bankrupt. Read only; polls every 100 ms.
/// </summary>
public static class ClusterQuiescence
{
    /// <summary>Quiet long enough to span a liquidation cooldown (1 s by default) and a few coordinator round intervals.</summary>
    public static readonly TimeSpan DefaultQuietFor = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Returns how long it took until nothing was pending in the inbox and the journal's highest ordering stayed the
    /// same for <paramref name="quietFor"/>, or null when that did not happen within <paramref name="bound"/> (the
    /// caller audits anyway and says so).
    /// </summary>
    /// <param name="connection">Npgsql connection string of the cluster's database.</param>
    /// <param name="quietFor">How long nothing may change.</param>
    /// <param name="bound">Longest wait.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    public static async Task<TimeSpan?> WaitAsync(string connection, TimeSpan quietFor, TimeSpan bound, CancellationToken cancellationToken)
    {
        await using var data = NpgsqlDataSource.Create(connection);
        var started = Stopwatch.GetTimestamp();
        var quietSince = started;
        long? lastOrdering = null;
        while (Stopwatch.GetElapsedTime(started) < bound)
        {
            await using (var command = data.CreateCommand(
                "SELECT (SELECT coalesce(max(ordering), 0) FROM journal), (SELECT count(*) FROM cm_cluster_inbox WHERE done_at IS NULL)"))
            await using (var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false))
            {
                await reader.ReadAsync(cancellationToken).ConfigureAwait(false);
                var ordering = reader.GetInt64(0);
                var pending = reader.GetInt64(1);
                if (ordering != lastOrdering || pending > 0)
                {
                    lastOrdering = ordering;
                    quietSince = Stopwatch.GetTimestamp();
                }
                else if (Stopwatch.GetElapsedTime(quietSince) >= quietFor)
                {
                    return Stopwatch.GetElapsedTime(started);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }

        return null;
    }
}
