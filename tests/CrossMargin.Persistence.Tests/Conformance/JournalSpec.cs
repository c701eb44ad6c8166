using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using static CrossMargin.Persistence.Tests.Conformance.TestEvents;

namespace CrossMargin.Persistence.Tests.Conformance;

/// <summary>
/// The journal conformance suite (after Akka.Persistence.TCK's JournalSpec). Every backend inherits it; each test
/// gets fresh storage from <see cref="OpenJournalAsync"/>.
/// </summary>
public abstract class JournalSpec : IAsyncLifetime
{
    protected const string Pid = "p-1";

    private readonly List<IJournal> _opened = new();

    protected IJournal Journal { get; private set; } = null!;

    /// <summary>Opens a journal over fresh, empty storage for this test.</summary>
    protected abstract Task<IJournal> OpenJournalAsync(EventSerializer serializer);

    /// <summary>Opens another journal over the same storage as the first, with another serializer (a restart).</summary>
    protected abstract Task<IJournal> ReopenJournalAsync(IJournal first, EventSerializer serializer);

    public async Task InitializeAsync()
    {
        Journal = await Track(OpenJournalAsync(Serializer()));
        await WriteAllAsync(Journal, Range(Pid, 1, 5));
    }

    public async Task DisposeAsync()
    {
        foreach (var journal in _opened)
        {
            await journal.DisposeAsync();
        }
    }

    protected async Task<IJournal> Track(Task<IJournal> opening)
    {
        var journal = await opening;
        _opened.Add(journal);
        return journal;
    }

    [Fact]
    public async Task Journal_should_replay_all_messages()
    {
        var events = await ReplayAsync(Journal, Pid);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal(new Deposited(Pid, e.SequenceNr), e.Payload));
        Assert.All(events, e => Assert.Equal("w1", e.WriterUuid));
        Assert.All(events, e => Assert.Equal("deposited@v1", e.Manifest));
    }

    [Fact]
    public async Task Journal_should_replay_messages_using_a_lower_sequence_number_bound()
        => Assert.Equal(new long[] { 3, 4, 5 }, (await ReplayAsync(Journal, Pid, from: 3)).Select(e => e.SequenceNr));

    [Fact]
    public async Task Journal_should_replay_messages_using_an_upper_sequence_number_bound()
        => Assert.Equal(new long[] { 1, 2, 3 }, (await ReplayAsync(Journal, Pid, to: 3)).Select(e => e.SequenceNr));

    [Fact]
    public async Task Journal_should_replay_messages_using_a_count_limit()
        => Assert.Equal(new long[] { 1, 2, 3 }, (await ReplayAsync(Journal, Pid, max: 3)).Select(e => e.SequenceNr));

    [Fact]
    public async Task Journal_should_replay_messages_using_a_lower_and_upper_sequence_number_bound_and_a_count_limit()
        => Assert.Equal(new long[] { 2, 3 }, (await ReplayAsync(Journal, Pid, from: 2, to: 4, max: 2)).Select(e => e.SequenceNr));

    [Fact]
    public async Task Journal_should_not_replay_messages_if_count_limit_equals_zero()
        => Assert.Empty(await ReplayAsync(Journal, Pid, max: 0));

    [Fact]
    public async Task Journal_should_not_replay_messages_if_lower_sequence_number_bound_is_greater_than_upper_sequence_number_bound()
        => Assert.Empty(await ReplayAsync(Journal, Pid, from: 3, to: 2));

    [Fact]
    public async Task Journal_should_not_replay_messages_of_another_persistence_id()
        => Assert.Empty(await ReplayAsync(Journal, "p-unknown"));

    [Fact]
    public async Task Journal_should_not_replay_permanently_deleted_messages_on_range_deletion()
    {
        await Journal.DeleteMessagesToAsync(Pid, 3);
        Assert.Equal(new long[] { 4, 5 }, (await ReplayAsync(Journal, Pid)).Select(e => e.SequenceNr));
    }

    [Fact]
    public async Task Journal_should_not_reset_HighestSequenceNr_after_message_deletion()
    {
        await Journal.DeleteMessagesToAsync(Pid, 3);
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync(Pid));
    }

    [Fact]
    public async Task Journal_should_not_reset_HighestSequenceNr_after_journal_cleanup()
    {
        await Journal.DeleteMessagesToAsync(Pid, long.MaxValue);
        Assert.Empty(await ReplayAsync(Journal, Pid));
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync(Pid));
        await WriteAllAsync(Journal, Range(Pid, 6, 6));
        Assert.Equal(new long[] { 6 }, (await ReplayAsync(Journal, Pid)).Select(e => e.SequenceNr));
    }

    [Theory]
    [InlineData(1, long.MaxValue, long.MaxValue, new long[] { 1, 2, 3, 4, 5 })]
    [InlineData(2, 3, long.MaxValue, new long[] { 2, 3 })]
    [InlineData(1, long.MaxValue, 2, new long[] { 1, 2 })]
    [InlineData(6, long.MaxValue, long.MaxValue, new long[0])]
    [InlineData(4, 2, long.MaxValue, new long[0])]
    [InlineData(1, long.MaxValue, 0, new long[0])]
    public async Task Journal_should_replay_and_read_the_highest_sequence_number_in_one_call(long from, long to, long max, long[] expected)
    {
        var events = new List<PersistentRepr>();
        var highest = await Journal.ReplayAndReadHighestAsync(Pid, from, to, max, events.Add);
        Assert.Equal(expected, events.Select(e => e.SequenceNr));
        Assert.All(events, e => Assert.Equal(new Deposited(Pid, e.SequenceNr), e.Payload));
        Assert.Equal(5, highest);
    }

    [Fact]
    public async Task Journal_should_replay_and_read_a_highest_sequence_number_that_survives_deletion()
    {
        await Journal.DeleteMessagesToAsync(Pid, 3);
        var events = new List<PersistentRepr>();
        Assert.Equal(5, await Journal.ReplayAndReadHighestAsync(Pid, 1, long.MaxValue, long.MaxValue, events.Add));
        Assert.Equal(new long[] { 4, 5 }, events.Select(e => e.SequenceNr));

        await Journal.DeleteMessagesToAsync(Pid, long.MaxValue);
        events.Clear();
        Assert.Equal(5, await Journal.ReplayAndReadHighestAsync(Pid, 1, long.MaxValue, long.MaxValue, events.Add));
        Assert.Empty(events);
    }

    [Fact]
    public async Task Journal_should_replay_and_read_zero_as_the_highest_of_an_unknown_stream()
    {
        var events = new List<PersistentRepr>();
        Assert.Equal(0, await Journal.ReplayAndReadHighestAsync("p-unknown", 1, long.MaxValue, long.MaxValue, events.Add));
        Assert.Empty(events);
    }

    [Fact]
    public async Task Journal_should_replay_many_short_streams_concurrently_with_their_highest_sequence_numbers()
    {
        // More concurrent replays than the SQL journal keeps idle read sessions, to exercise opening and closing extra ones.
        var writes = Enumerable.Range(0, 40).SelectMany(i => Range($"s-{i}", 1, 1 + (i % 4))).ToArray();
        await WriteAllAsync(Journal, writes);
        var results = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => Task.Run(async () =>
        {
            var events = new List<long>();
            var highest = await Journal.ReplayAndReadHighestAsync($"s-{i}", 1, long.MaxValue, long.MaxValue, e => events.Add(e.SequenceNr));
            return (i, highest, events);
        })));
        Assert.All(results, r =>
        {
            Assert.Equal(1 + (r.i % 4), r.highest);
            Assert.Equal(Enumerable.Range(1, 1 + (r.i % 4)).Select(n => (long)n), r.events);
        });
    }

    [Fact]
    public async Task Journal_should_return_zero_as_the_highest_sequence_number_of_an_unknown_stream()
        => Assert.Equal(0, await Journal.ReadHighestSequenceNrAsync("p-unknown"));

    [Fact]
    public async Task Journal_should_reject_non_serializable_events_and_store_the_rest_of_the_batch()
    {
        var bad = new AtomicWrite(new[]
        {
            new PersistentRepr("p-2", 1, new Deposited("p-2", 1), "w1"),
            new PersistentRepr("p-2", 2, new NotSerializable(2), "w1"),
        });
        var results = await Journal.WriteMessagesAsync(new[] { Event("p-3", 1), bad, Event("p-3", 2) });

        Assert.Equal(WriteOutcome.Success, results[0].Outcome);
        Assert.Equal(WriteOutcome.Rejected, results[1].Outcome);
        Assert.IsType<EventSerializationException>(results[1].Error);
        Assert.Contains(nameof(NotSerializable), results[1].Error!.Message, StringComparison.Ordinal);
        Assert.Equal(WriteOutcome.Success, results[2].Outcome);
        Assert.Empty(await ReplayAsync(Journal, "p-2"));
        Assert.Equal(2, (await ReplayAsync(Journal, "p-3")).Count);
    }

    [Fact]
    public async Task Journal_should_fail_a_write_that_reuses_a_sequence_number_and_store_nothing_of_it()
    {
        var clash = new AtomicWrite(new[]
        {
            new PersistentRepr(Pid, 5, new Deposited(Pid, 99), "w2"),
            new PersistentRepr(Pid, 6, new Deposited(Pid, 99), "w2"),
        });
        var results = await Journal.WriteMessagesAsync(new[] { clash, Event("p-other", 1) });

        Assert.Equal(WriteOutcome.Failed, results[0].Outcome);
        Assert.IsType<DuplicateSequenceNumberException>(results[0].Error);
        Assert.Equal(WriteOutcome.Success, results[1].Outcome);
        var events = await ReplayAsync(Journal, Pid);
        Assert.Equal(new long[] { 1, 2, 3, 4, 5 }, events.Select(e => e.SequenceNr));
        Assert.Equal(new Deposited(Pid, 5), events[^1].Payload);
        Assert.Equal(5, await Journal.ReadHighestSequenceNrAsync(Pid));
    }

    [Fact]
    public async Task Journal_should_store_an_atomic_write_of_many_events_together()
    {
        var write = new AtomicWrite(Enumerable.Range(1, 50).Select(s => new PersistentRepr("p-many", s, new Withdrawn("a", s), "w1")).ToList());
        await WriteAllAsync(Journal, new[] { write });
        var events = await ReplayAsync(Journal, "p-many");
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), events.Select(e => e.SequenceNr));
        Assert.Equal(new Withdrawn("a", 50), events[^1].Payload);
    }

    [Fact]
    public async Task Journal_should_store_concurrent_writes_of_many_streams_without_loss()
    {
        var writers = Enumerable.Range(0, 100).Select(async w =>
        {
            for (var seq = 1; seq <= 10; seq++)
            {
                await WriteAllAsync(Journal, new[] { Event($"c-{w}", seq) });
            }
        });
        await Task.WhenAll(writers);

        for (var w = 0; w < 100; w++)
        {
            Assert.Equal(Enumerable.Range(1, 10).Select(i => (long)i), (await ReplayAsync(Journal, $"c-{w}")).Select(e => e.SequenceNr));
            Assert.Equal(10, await Journal.ReadHighestSequenceNrAsync($"c-{w}"));
        }
    }

    [Fact]
    public async Task Journal_should_replay_stored_v1_events_as_v2_through_an_upcaster()
    {
        var v1 = new EventSerializer().Register<DepositedV1>("deposit", 1);
        var old = await Track(ReopenJournalAsync(Journal, v1));
        await WriteAllAsync(old, new[] { new AtomicWrite(new PersistentRepr("p-up", 1, new DepositedV1("acc", 12.5m), "w1")) });

        var v2 = new EventSerializer()
            .Register<DepositedV2>("deposit", 2)
            .AddUpcaster("deposit", 1, json =>
            {
                var obj = json.AsObject();
                obj["currency"] = "USD";
                return obj;
            });
        var upgraded = await Track(ReopenJournalAsync(Journal, v2));

        var events = await ReplayAsync(upgraded, "p-up");
        Assert.Equal(new DepositedV2("acc", 12.5m, "USD"), Assert.Single(events).Payload);
    }

    [Fact]
    public async Task Journal_should_name_the_persistence_id_and_sequence_number_of_an_unreadable_event()
    {
        var incompatible = new EventSerializer().Register<Incompatible>("deposited", 1).Register<Withdrawn>("withdrawn", 1);
        var reader = await Track(ReopenJournalAsync(Journal, incompatible));

        var error = await Assert.ThrowsAsync<EventDeserializationException>(() => ReplayAsync(reader, Pid));
        Assert.Equal(Pid, error.PersistenceId);
        Assert.Equal(1, error.SequenceNr);
        Assert.Contains("p-1 #1", error.Message, StringComparison.Ordinal);
    }

    public sealed record DepositedV1(string Account, decimal Amount);

    public sealed record DepositedV2(string Account, decimal Amount, string Currency);

    /// <summary>Same manifest as <see cref="Deposited"/> but an incompatible shape.</summary>
    public sealed record Incompatible(int Account);
}
