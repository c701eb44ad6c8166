using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Tests.Conformance;
using static CrossMargin.Persistence.Tests.Conformance.TestEvents;

namespace CrossMargin.Persistence.Sql.Tests.Common;

/// <summary>Behaviour specific to the SQL plugins (raw storage access, schema versions, reopening), for both backends.</summary>
public abstract class SqlBackendSpec : IAsyncLifetime
{
    private readonly List<IAsyncDisposable> _opened = new();

    /// <summary>Options of a fresh database for this test (same value on every call within a test).</summary>
    protected abstract Task<SqlJournalOptions> OptionsAsync();

    /// <summary>Options pointing at a target that cannot be reached.</summary>
    protected abstract SqlJournalOptions UnreachableOptions(out string expectedTarget);

    /// <summary>Runs raw SQL against the test database.</summary>
    protected abstract Task ExecuteAsync(string sql);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var d in _opened)
        {
            await d.DisposeAsync();
        }
    }

    protected async Task<SqlJournal> OpenAsync(EventSerializer? serializer = null)
    {
        var journal = await SqlJournal.OpenAsync(await OptionsAsync(), serializer ?? Serializer());
        _opened.Add(journal);
        return journal;
    }

    [Fact]
    public async Task Sql_journal_should_name_persistence_id_and_sequence_number_of_a_corrupt_payload()
    {
        var journal = await OpenAsync();
        await WriteAllAsync(journal, Range("acct-7", 1, 3));
        await ExecuteAsync("UPDATE journal SET payload = payload || payload WHERE persistence_id = 'acct-7' AND sequence_number = 2");

        var seen = new List<long>();
        var error = await Assert.ThrowsAsync<EventDeserializationException>(() => journal.ReplayMessagesAsync("acct-7", 1, long.MaxValue, long.MaxValue, e => seen.Add(e.SequenceNr)));
        Assert.Equal(("acct-7", 2L), (error.PersistenceId, error.SequenceNr));
        Assert.Equal(new long[] { 1 }, seen);
    }

    [Fact]
    public async Task Sql_journal_should_refuse_a_database_written_by_a_newer_schema_version()
    {
        await OpenAsync();
        await ExecuteAsync("UPDATE crossmargin_schema SET version = 99 WHERE component = 'journal'");
        var error = await Assert.ThrowsAsync<SchemaVersionException>(() => OpenAsync());
        Assert.Equal(99, error.FoundVersion);
        Assert.Contains("newer", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sql_journal_should_keep_the_highest_sequence_number_across_a_restart_after_deleting_everything()
    {
        var journal = await OpenAsync();
        await WriteAllAsync(journal, Range("p", 1, 4));
        await journal.DeleteMessagesToAsync("p", long.MaxValue);
        var reopened = await OpenAsync();
        Assert.Equal(4, await reopened.ReadHighestSequenceNrAsync("p"));
        Assert.Empty(await ReplayAsync(reopened, "p"));
    }

    [Fact]
    public async Task Sql_journal_should_fail_the_second_of_two_writers_on_one_persistence_id()
    {
        var first = await OpenAsync();
        var second = await OpenAsync();
        await WriteAllAsync(first, Range("owner", 1, 2, writer: "first"));
        var results = await second.WriteMessagesAsync(new[] { Event("owner", 2, "second"), Event("bystander", 1, "second") });
        Assert.Equal(WriteOutcome.Failed, results[0].Outcome);
        Assert.IsType<DuplicateSequenceNumberException>(results[0].Error);
        Assert.True(results[1].IsSuccess);
        Assert.All(await ReplayAsync(first, "owner"), e => Assert.Equal("first", e.WriterUuid));
    }

    [Fact]
    public async Task Sql_journal_should_report_an_unreachable_database_by_its_target()
    {
        var options = UnreachableOptions(out var target);
        var error = await Assert.ThrowsAsync<PersistenceConnectionException>(() => SqlJournal.OpenAsync(options, Serializer()));
        Assert.Contains(target, error.Message, StringComparison.Ordinal);
        Assert.Equal(target, error.Target);
    }

    [Fact]
    public async Task Sql_journal_should_create_the_schema_once_when_opened_concurrently()
    {
        var options = await OptionsAsync();
        var journals = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SqlJournal.OpenAsync(options, Serializer())));
        _opened.AddRange(journals);
        await WriteAllAsync(journals[3], Range("x", 1, 1));
        Assert.Equal(1, await journals[0].ReadHighestSequenceNrAsync("x"));
    }
}
