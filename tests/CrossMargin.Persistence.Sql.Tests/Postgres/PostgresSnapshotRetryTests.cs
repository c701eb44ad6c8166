using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql.Snapshot;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using CrossMargin.Persistence.Tests.Conformance;

namespace CrossMargin.Persistence.Sql.Tests.Postgres;

/// <summary>
/// A snapshot load on a pooled connection the server has closed (what every idle connection is after a PostgreSQL
/// restart) must be retried on a fresh connection, as the journal's replay is: otherwise the first recovery after the
/// restart fails and its persistent actor stops. The server's sessions are ended with <c>pg_terminate_backend</c>, which
/// closes them exactly as a restart does (<c>57P01: terminating connection due to administrator command</c>), on a
/// database of the test's own so no other test is touched.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSnapshotRetryTests(PostgresFixture fixture)
{
    [Fact]
    public async Task A_snapshot_load_on_a_connection_the_server_closed_should_succeed_on_a_fresh_connection()
    {
        var connection = await fixture.Server.CreateDatabaseAsync($"snapkill_{Guid.NewGuid():N}");
        await using var store = await SqlSnapshotStore.OpenAsync(PostgresOptions.For(connection), TestEvents.Serializer());
        var streams = Enumerable.Range(1, 4).Select(i => $"snap-{i}").ToList();
        foreach (var (pid, n) in streams.Select((p, n) => (p, n)))
        {
            await store.SaveAsync(new SnapshotMetadata(pid, 10 + n, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)), new AccountState(pid, 100m + n));
        }

        // Concurrent loads leave several idle connections in the store's pool, each a session of this database.
        await Task.WhenAll(streams.Select(pid => store.LoadAsync(pid, SnapshotSelectionCriteria.Latest)));
        await PostgresSessions.TerminateAsync(fixture, connection);

        // Every pooled connection is dead now; each load (an actor's recovery) must still find its snapshot.
        foreach (var (pid, n) in streams.Select((p, n) => (p, n)))
        {
            var loaded = await store.LoadAsync(pid, SnapshotSelectionCriteria.Latest);
            Assert.NotNull(loaded);
            Assert.Equal(10 + n, loaded.Metadata.SequenceNr);
            Assert.Equal(new AccountState(pid, 100m + n), loaded.Snapshot);
        }
    }

    [Fact]
    public async Task Concurrent_snapshot_loads_on_connections_the_server_closed_should_all_succeed()
    {
        var connection = await fixture.Server.CreateDatabaseAsync($"snapkill_{Guid.NewGuid():N}");
        await using var store = await SqlSnapshotStore.OpenAsync(PostgresOptions.For(connection), TestEvents.Serializer());
        var streams = Enumerable.Range(1, 6).Select(i => $"snap-{i}").ToList();
        foreach (var pid in streams)
        {
            await store.SaveAsync(new SnapshotMetadata(pid, 5, new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc)), new AccountState(pid, 1m));
        }

        await Task.WhenAll(streams.Select(pid => store.LoadAsync(pid, SnapshotSelectionCriteria.Latest)));
        await PostgresSessions.TerminateAsync(fixture, connection);

        // Many recoveries at once after a restart: each may take a different dead connection before the pool is cleared.
        var loaded = await Task.WhenAll(streams.Select(pid => store.LoadAsync(pid, SnapshotSelectionCriteria.Latest)));
        Assert.All(loaded, l => Assert.Equal(5, l?.Metadata.SequenceNr));
    }
}
