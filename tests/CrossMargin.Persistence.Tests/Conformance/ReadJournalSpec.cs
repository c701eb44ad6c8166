using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Query;
using CrossMargin.Persistence.Serialization;
using static CrossMargin.Persistence.Tests.Conformance.TestEvents;

namespace CrossMargin.Persistence.Tests.Conformance;

/// <summary>
/// Persistence-query conformance: current and live queries by persistence id, tag and global ordering, and gap
/// safety under concurrent writers. Each test gets fresh storage.
/// </summary>
public abstract class ReadJournalSpec : IAsyncLifetime
{
    /// <summary>Upper bound on waiting for a live event; a correct journal delivers far sooner.</summary>
    private static readonly TimeSpan LiveTimeout = TimeSpan.FromSeconds(20);

    protected IJournal Journal { get; private set; } = null!;

    protected IReadJournal Queries => (IReadJournal)Journal;

    /// <summary>Opens a journal (that also implements <see cref="IReadJournal"/>) over fresh storage.</summary>
    protected abstract Task<IJournal> OpenJournalAsync(EventSerializer serializer);

    public async Task InitializeAsync()
    {
        Journal = await OpenJournalAsync(Serializer());
        await WriteAllAsync(Journal, new[]
        {
            Event("a", 1, "w", "red"), Event("b", 1, "w", "blue"), Event("a", 2, "w", "red", "blue"),
            Event("c", 1), Event("a", 3), Event("b", 2, "w", "red"),
        });
    }

    public async Task DisposeAsync() => await Journal.DisposeAsync();

    [Fact]
    public async Task CurrentEventsByPersistenceId_should_return_the_range_in_order_and_complete()
    {
        var events = await Queries.CurrentEventsByPersistenceId("a", 2, long.MaxValue).ToListAsync();
        Assert.Equal(new long[] { 2, 3 }, events.Select(e => e.SequenceNr));
        Assert.Equal(new Deposited("a", 2), events[0].Event);
        Assert.Equal(new[] { "red", "blue" }.Order(), events[0].Tags.Order());
    }

    [Fact]
    public async Task CurrentEventsByPersistenceId_should_not_return_deleted_events()
    {
        await Journal.DeleteMessagesToAsync("a", 2);
        Assert.Equal(new long[] { 3 }, (await Queries.CurrentEventsByPersistenceId("a", 0, long.MaxValue).ToListAsync()).Select(e => e.SequenceNr));
    }

    [Fact]
    public async Task EventsByPersistenceId_should_deliver_events_written_after_the_query_started()
    {
        using var cts = new CancellationTokenSource(LiveTimeout);
        await using var live = Queries.EventsByPersistenceId("a", 3, 5, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await live.MoveNextAsync());
        Assert.Equal(3, live.Current.SequenceNr);

        var next = live.MoveNextAsync();
        await WriteAllAsync(Journal, new[] { Event("a", 4), Event("a", 5) });
        Assert.True(await next);
        Assert.Equal(4, live.Current.SequenceNr);
        Assert.True(await live.MoveNextAsync());
        Assert.Equal(5, live.Current.SequenceNr);
        Assert.False(await live.MoveNextAsync());
    }

    [Fact]
    public async Task CurrentEventsByTag_should_return_tagged_events_by_ordering_and_resume_after_an_offset()
    {
        var red = await Queries.CurrentEventsByTag("red", 0).ToListAsync();
        Assert.Equal(new[] { ("a", 1L), ("a", 2L), ("b", 2L) }, red.Select(e => (e.PersistenceId, e.SequenceNr)));
        Assert.True(red.Select(e => e.Offset).SequenceEqual(red.Select(e => e.Offset).Order()));

        var rest = await Queries.CurrentEventsByTag("red", red[0].Offset).ToListAsync();
        Assert.Equal(red.Skip(1).Select(e => e.Offset), rest.Select(e => e.Offset));
        Assert.Empty(await Queries.CurrentEventsByTag("green", 0).ToListAsync());
    }

    [Fact]
    public async Task EventsByTag_should_deliver_tagged_events_written_after_the_query_started()
    {
        using var cts = new CancellationTokenSource(LiveTimeout);
        await using var live = Queries.EventsByTag("blue", 0, cts.Token).GetAsyncEnumerator(cts.Token);
        Assert.True(await live.MoveNextAsync());
        Assert.True(await live.MoveNextAsync());
        var last = live.Current.Offset;

        var next = live.MoveNextAsync();
        await WriteAllAsync(Journal, new[] { Event("d", 1), Event("d", 2, "w", "blue") });
        Assert.True(await next);
        Assert.Equal(("d", 2L), (live.Current.PersistenceId, live.Current.SequenceNr));
        Assert.True(live.Current.Offset > last);
    }

    [Fact]
    public async Task CurrentAllEvents_should_return_every_event_once_in_ordering_order()
    {
        var all = await Queries.CurrentAllEvents(0).ToListAsync();
        Assert.Equal(6, all.Count);
        Assert.Equal(all.Select(e => e.Offset).Order(), all.Select(e => e.Offset));
        Assert.Equal(6, all.Select(e => e.Offset).Distinct().Count());
        Assert.Equal(new[] { ("a", 1L), ("b", 1L), ("a", 2L), ("c", 1L), ("a", 3L), ("b", 2L) }, all.Select(e => (e.PersistenceId, e.SequenceNr)));
    }

    [Fact]
    public async Task CurrentPersistenceIds_should_list_every_stream_once()
        => Assert.Equal(new[] { "a", "b", "c" }, (await Queries.CurrentPersistenceIds().ToListAsync()).Order());

    [Fact]
    public async Task AllEvents_should_not_skip_any_event_while_many_writers_commit_concurrently()
    {
        const int Writers = 50;
        const int PerWriter = 40;
        var expected = 6 + (Writers * PerWriter);
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<EventEnvelope>();
        var reader = Task.Run(async () =>
        {
            await foreach (var envelope in Queries.AllEvents(0, cts.Token))
            {
                seen.Add(envelope);
                if (seen.Count == expected)
                {
                    return;
                }
            }
        });

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(async w =>
        {
            for (var seq = 1; seq <= PerWriter; seq++)
            {
                await WriteAllAsync(Journal, new[] { Event($"g-{w}", seq) });
            }
        }));
        await reader;

        Assert.Equal(expected, seen.Select(e => (e.PersistenceId, e.SequenceNr)).Distinct().Count());
        Assert.Equal(seen.Select(e => e.Offset).Order(), seen.Select(e => e.Offset));
    }
}
