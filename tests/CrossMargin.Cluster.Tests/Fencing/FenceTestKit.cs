using System.Data.Common;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;
using CrossMargin.Persistence.Sql.Fencing;
using Npgsql;

namespace CrossMargin.Cluster.Tests.Fencing;

/// <summary>What the journal and snapshot fence tests share: a fresh cluster database, a probe for a takeover blocked on the fence's lock, and a fence that holds its transaction open.</summary>
internal static class FenceTestKit
{
    /// <summary>A new database on <paramref name="postgres"/> with the cluster schema for <paramref name="shards"/> shards.</summary>
    public static async Task<(string Connection, ClusterStore Store)> OpenAsync(PostgresServerFixture postgres, int shards)
    {
        var connection = await postgres.NewDatabaseAsync();
        return (connection, await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = shards }));
    }

    /// <summary>True while a lease acquisition waits on a row lock (the fence's FOR SHARE of a write in flight).</summary>
    public static async Task<bool> WaitingOnLeaseLockAsync(string connection)
    {
        await using var conn = new NpgsqlConnection(connection);
        await conn.OpenAsync();
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock' AND query LIKE '%INSERT INTO cm_cluster_leases%'",
            conn);
        return (long)(await command.ExecuteScalarAsync())! > 0;
    }

    /// <summary>Runs the real fence, then holds the transaction open until the test opens the gate.</summary>
    public sealed class GatedFence(IWriteFence inner) : IWriteFence
    {
        private readonly TaskCompletionSource _checked = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Checked => _checked.Task;

        public void Open() => _open.TrySetResult();

        public string? WriterIdFor(string persistenceId) => inner.WriterIdFor(persistenceId);

        public async ValueTask CheckAsync(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> persistenceIds, CancellationToken cancellationToken)
        {
            await inner.CheckAsync(connection, transaction, persistenceIds, cancellationToken);
            _checked.TrySetResult();
            await _open.Task;
        }
    }
}
