using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Snapshot;

namespace CrossMargin.Persistence.Tests.Conformance;

/// <summary>
/// The snapshot-store conformance suite (after Akka.Persistence.TCK's SnapshotStoreSpec). Five snapshots of
/// <see cref="Pid"/> at sequence numbers 1..5, taken one minute apart, exist before each test.
/// </summary>
public abstract class SnapshotStoreSpec : IAsyncLifetime
{
    protected const string Pid = "s-1";

    private static readonly DateTime T0 = new(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    private readonly List<SnapshotMetadata> _saved = new();

    protected ISnapshotStore Store { get; private set; } = null!;

    /// <summary>Opens a snapshot store over fresh, empty storage for this test.</summary>
    protected abstract Task<ISnapshotStore> OpenSnapshotStoreAsync(EventSerializer serializer);

    public async Task InitializeAsync()
    {
        Store = await OpenSnapshotStoreAsync(TestEvents.Serializer());
        for (var seq = 1; seq <= 5; seq++)
        {
            var meta = new SnapshotMetadata(Pid, seq, T0.AddMinutes(seq));
            await Store.SaveAsync(meta, new AccountState("acc", seq * 10m));
            _saved.Add(meta);
        }
    }

    public async Task DisposeAsync() => await Store.DisposeAsync();

    [Fact]
    public async Task SnapshotStore_should_not_load_a_snapshot_given_an_invalid_persistence_id()
        => Assert.Null(await Store.LoadAsync("s-unknown", SnapshotSelectionCriteria.Latest));

    [Fact]
    public async Task SnapshotStore_should_not_load_a_snapshot_given_non_matching_timestamp_criteria()
        => Assert.Null(await Store.LoadAsync(Pid, new SnapshotSelectionCriteria(long.MaxValue, T0)));

    [Fact]
    public async Task SnapshotStore_should_not_load_a_snapshot_given_non_matching_sequence_number_criteria()
        => Assert.Null(await Store.LoadAsync(Pid, SnapshotSelectionCriteria.UpTo(0)));

    [Fact]
    public async Task SnapshotStore_should_not_load_a_snapshot_given_criteria_None()
        => Assert.Null(await Store.LoadAsync(Pid, SnapshotSelectionCriteria.None));

    [Fact]
    public async Task SnapshotStore_should_load_the_most_recent_snapshot()
    {
        var loaded = await Store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest);
        Assert.NotNull(loaded);
        Assert.Equal(_saved[4], loaded.Metadata);
        Assert.Equal(new AccountState("acc", 50m), loaded.Snapshot);
    }

    [Fact]
    public async Task SnapshotStore_should_load_the_most_recent_snapshot_matching_an_upper_sequence_number_bound()
    {
        var loaded = await Store.LoadAsync(Pid, SnapshotSelectionCriteria.UpTo(3));
        Assert.Equal(_saved[2], loaded?.Metadata);
        Assert.Equal(new AccountState("acc", 30m), loaded?.Snapshot);
    }

    [Fact]
    public async Task SnapshotStore_should_load_the_most_recent_snapshot_matching_upper_sequence_number_and_timestamp_bounds()
    {
        var loaded = await Store.LoadAsync(Pid, new SnapshotSelectionCriteria(13, _saved[2].Timestamp));
        Assert.Equal(_saved[2], loaded?.Metadata);
    }

    [Fact]
    public async Task SnapshotStore_should_delete_a_single_snapshot_identified_by_sequence_number()
    {
        await Store.DeleteAsync(_saved[2]);
        var loaded = await Store.LoadAsync(Pid, SnapshotSelectionCriteria.UpTo(3));
        Assert.Equal(_saved[1], loaded?.Metadata);
    }

    [Fact]
    public async Task SnapshotStore_should_delete_all_snapshots_matching_upper_sequence_number_and_timestamp_bounds()
    {
        await Store.DeleteAsync(Pid, new SnapshotSelectionCriteria(3, _saved[2].Timestamp));
        Assert.Null(await Store.LoadAsync(Pid, SnapshotSelectionCriteria.UpTo(3)));
        Assert.Equal(_saved[4], (await Store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest))?.Metadata);
    }

    [Fact]
    public async Task SnapshotStore_should_not_delete_snapshots_with_non_matching_upper_timestamp_bounds()
    {
        await Store.DeleteAsync(Pid, new SnapshotSelectionCriteria(3, T0));
        Assert.Equal(_saved[2], (await Store.LoadAsync(Pid, SnapshotSelectionCriteria.UpTo(3)))?.Metadata);
    }

    [Fact]
    public async Task SnapshotStore_should_save_and_overwrite_a_snapshot_with_the_same_sequence_number()
    {
        var meta = _saved[4] with { Timestamp = T0.AddHours(1) };
        await Store.SaveAsync(meta, new AccountState("acc", 999m));
        var loaded = await Store.LoadAsync(Pid, SnapshotSelectionCriteria.Latest);
        Assert.Equal(meta, loaded?.Metadata);
        Assert.Equal(new AccountState("acc", 999m), loaded?.Snapshot);
    }

    [Fact]
    public async Task SnapshotStore_should_save_a_large_snapshot()
    {
        var big = new AccountState(new string('x', 200_000), 1m);
        await Store.SaveAsync(new SnapshotMetadata("s-big", 1, T0), big);
        Assert.Equal(big, (await Store.LoadAsync("s-big", SnapshotSelectionCriteria.Latest))?.Snapshot);
    }

    [Fact]
    public async Task SnapshotStore_should_reject_a_snapshot_of_an_unregistered_type()
        => await Assert.ThrowsAsync<EventSerializationException>(() => Store.SaveAsync(new SnapshotMetadata("s-bad", 1, T0), new NotSerializable(1)));
}
