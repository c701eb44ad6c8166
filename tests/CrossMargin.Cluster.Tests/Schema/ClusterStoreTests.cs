using System.Net;
using System.Net.Sockets;
using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;

namespace CrossMargin.Cluster.Tests.Schema;

public sealed class ClusterStoreTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public async Task Opening_twice_should_create_the_schema_once_and_pre_create_one_lease_row_per_shard()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using (var first = await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = 12 }))
        {
            Assert.Equal(12, first.ShardCount);
        }

        await using var second = await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = 12 });
        var leases = await LeaseManager.ListAsync(second);

        Assert.Equal(Enumerable.Range(0, 12).Select(i => $"shard-{i}"), leases.Select(l => l.Resource));
        Assert.All(leases, l => Assert.Equal(0, l.Epoch));
        Assert.All(leases, l => Assert.Null(l.Owner));
    }

    [Fact]
    public async Task A_node_configured_with_another_shard_count_should_be_refused_with_both_numbers()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using (await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = 64 }))
        {
        }

        var e = await Assert.ThrowsAsync<ShardCountMismatchException>(() => ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = 32 }));

        Assert.StartsWith("journal has 64 shards, this node is configured with 32", e.Message, StringComparison.Ordinal);
        Assert.Equal(64, e.RecordedShardCount);
        Assert.Equal(32, e.ConfiguredShardCount);
    }

    [Fact]
    public async Task A_read_only_open_should_accept_the_recorded_shard_count()
    {
        var connection = await postgres.NewDatabaseAsync();
        await using (await ClusterStore.OpenAsync(new ClusterStoreOptions(connection) { ShardCount = 5 }))
        {
        }

        await using var reader = await ClusterStore.OpenAsync(new ClusterStoreOptions(connection));
        Assert.Equal(5, reader.ShardCount);
    }

    [Fact]
    public async Task An_unreachable_server_should_give_an_error_naming_the_target_and_the_retry_timing()
    {
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var options = new ClusterStoreOptions($"Host=127.0.0.1;Port={port};Database=crossmargin;Username=postgres;Timeout=2")
        {
            ShardCount = 8,
            ConnectAttempts = 3,
            ConnectRetryInterval = TimeSpan.FromMilliseconds(50),
        };

        var e = await Assert.ThrowsAsync<ClusterUnreachableException>(() => ClusterStore.OpenAsync(options));

        Assert.Equal($"127.0.0.1:{port}/crossmargin", e.Target);
        Assert.Contains($"127.0.0.1:{port}/crossmargin", e.Message, StringComparison.Ordinal);
        Assert.Contains("3 attempt(s) 50ms apart", e.Message, StringComparison.Ordinal);
        Assert.Equal(3, e.Attempts);
    }

    [Fact]
    public async Task A_missing_database_should_fail_at_once_naming_the_target()
    {
        var missing = new Npgsql.NpgsqlConnectionStringBuilder(postgres.Server.AdminConnectionString) { Database = "no_such_db" }.ToString();

        var e = await Assert.ThrowsAsync<ClusterUnreachableException>(() => ClusterStore.OpenAsync(new ClusterStoreOptions(missing) { ShardCount = 4 }));

        Assert.Equal(1, e.Attempts);
        Assert.EndsWith("/no_such_db", e.Target, StringComparison.Ordinal);
    }
}
