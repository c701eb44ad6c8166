using CrossMargin.Cluster.Leases;
using CrossMargin.Cluster.Schema;
using CrossMargin.Cluster.Tests.Infrastructure;
using Npgsql;

namespace CrossMargin.Cluster.Tests.Leases;

public sealed class LeaseManagerTests(PostgresServerFixture postgres) : IClassFixture<PostgresServerFixture>
{
    private static readonly TimeSpan Ttl = TimeSpan.FromMilliseconds(800);
    private static readonly TimeSpan Margin = TimeSpan.FromMilliseconds(200);

    [Fact]
    public async Task Acquire_should_take_a_free_lease_with_epoch_one_and_refuse_a_second_owner_while_it_lives()
    {
        await using var store = await OpenAsync();
        var a = new LeaseManager(store, "a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var b = new LeaseManager(store, "b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);

        var lease = await a.TryAcquireAsync("shard-0");

        Assert.NotNull(lease);
        Assert.Equal(1, lease.Epoch);
        Assert.Same(lease, a.Held.Get("shard-0"));
        Assert.Null(await b.TryAcquireAsync("shard-0"));
        Assert.Null(await a.TryAcquireAsync("shard-0"));
        Assert.True(await a.RenewAsync(lease));
    }

    [Fact]
    public async Task Renew_should_move_the_local_deadline_to_renew_start_plus_ttl_minus_margin()
    {
        await using var store = await OpenAsync();
        var a = new LeaseManager(store, "a", Guid.NewGuid(), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));

        var lease = (await a.TryAcquireAsync("shard-1"))!;
        var before = lease.MustStopByTimestamp;
        Assert.True(await a.RenewAsync(lease));

        Assert.True(lease.MustStopByTimestamp >= before);
        Assert.InRange(lease.RemainingBeforeStop, TimeSpan.Zero, TimeSpan.FromMinutes(9));
        Assert.False(lease.IsPastDeadline);
    }

    [Fact]
    public async Task An_expired_lease_should_be_taken_over_with_a_higher_epoch_and_the_old_owner_renew_refused()
    {
        await using var store = await OpenAsync();
        var a = new LeaseManager(store, "a", Guid.NewGuid(), Ttl, Margin);
        var b = new LeaseManager(store, "b", Guid.NewGuid(), Ttl, Margin);
        var old = (await a.TryAcquireAsync("shard-2"))!;

        await Eventually.UntilAsync(() => ExpiredAsync(store, "shard-2"), "expired by the database clock");
        var taken = await b.TryAcquireAsync("shard-2");

        Assert.NotNull(taken);
        Assert.Equal(old.Epoch + 1, taken.Epoch);
        Assert.False(await a.RenewAsync(old));
        Assert.True(old.IsLost);
        Assert.Null(a.Held.Get("shard-2"));
        var row = (await LeaseManager.ListAsync(store)).Single(l => l.Resource == "shard-2");
        Assert.Equal(("b", taken.Epoch), (row.Owner, row.Epoch));
    }

    [Fact]
    public async Task A_lapsed_lease_should_stay_lapsed_even_when_nobody_took_it()
    {
        await using var store = await OpenAsync();
        var a = new LeaseManager(store, "a", Guid.NewGuid(), Ttl, Margin);
        var lease = (await a.TryAcquireAsync("shard-3"))!;

        await Eventually.UntilAsync(() => ExpiredAsync(store, "shard-3"), "expired by the database clock");

        Assert.False(await a.RenewAsync(lease));
        var again = await a.TryAcquireAsync("shard-3");
        Assert.Equal(lease.Epoch + 1, again!.Epoch);
    }

    [Fact]
    public async Task Release_should_free_the_row_keep_the_epoch_and_let_the_next_owner_bump_it()
    {
        await using var store = await OpenAsync();
        var a = new LeaseManager(store, "a", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var b = new LeaseManager(store, "b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var lease = (await a.TryAcquireAsync("singleton-coordinator"))!;

        await a.ReleaseAsync(lease);
        var row = (await LeaseManager.ListAsync(store)).Single(l => l.Resource == "singleton-coordinator");
        var next = await b.TryAcquireAsync("singleton-coordinator");

        Assert.Null(row.Owner);
        Assert.Equal(1, row.Epoch);
        Assert.Null(a.Held.Get("singleton-coordinator"));
        Assert.Equal(2, next!.Epoch);
    }

    [Fact]
    public async Task A_release_by_a_stale_epoch_should_not_free_the_new_owner_row()
    {
        await using var store = await OpenAsync();
        var a = new LeaseManager(store, "a", Guid.NewGuid(), Ttl, Margin);
        var b = new LeaseManager(store, "b", Guid.NewGuid(), TimeSpan.FromMinutes(1), Margin);
        var old = (await a.TryAcquireAsync("shard-4"))!;
        await Eventually.UntilAsync(() => ExpiredAsync(store, "shard-4"), "expired by the database clock");
        var taken = (await b.TryAcquireAsync("shard-4"))!;

        await a.ReleaseAsync(old);

        var row = (await LeaseManager.ListAsync(store)).Single(l => l.Resource == "shard-4");
        Assert.Equal(("b", taken.Epoch), (row.Owner, row.Epoch));
        Assert.True(row.IsHeld);
    }

    private async Task<ClusterStore> OpenAsync()
        => await ClusterStore.OpenAsync(new ClusterStoreOptions(await postgres.NewDatabaseAsync()) { ShardCount = 8 });

    private static async Task<bool> ExpiredAsync(ClusterStore store, string resource)
    {
        await using var command = store.DataSource.CreateCommand("SELECT expires_at < now() FROM cm_cluster_leases WHERE resource = @r");
        command.Parameters.AddWithValue("r", resource);
        return (bool)(await command.ExecuteScalarAsync())!;
    }
}
