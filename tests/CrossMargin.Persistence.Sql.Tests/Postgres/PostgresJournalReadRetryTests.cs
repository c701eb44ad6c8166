using CrossMargin.Persistence.Sql.Journal;
using CrossMargin.Persistence.Sql.Tests.Infrastructure;
using CrossMargin.Persistence.Tests.Conformance;

namespace CrossMargin.Persistence.Sql.Tests.Postgres;

/// <summary>
/// Reading a stream's highest sequence number on a pooled session the server has closed (what every idle session is
/// after a PostgreSQL restart) must be retried on a fresh session, as the replay is: a persistent actor's recovery and
/// the liquidation coordinator's start read it, and failing there stops them for nothing.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresJournalReadRetryTests(PostgresFixture fixture)
{
    [Fact]
    public async Task Reading_the_highest_sequence_number_on_sessions_the_server_closed_should_succeed_on_a_fresh_session()
    {
        var connection = await fixture.Server.CreateDatabaseAsync($"highkill_{Guid.NewGuid():N}");
        await using var journal = await SqlJournal.OpenAsync(PostgresOptions.For(connection), TestEvents.Serializer());
        var streams = Enumerable.Range(1, 4).Select(i => $"h-{i}").ToList();
        foreach (var (pid, n) in streams.Select((p, n) => (p, n)))
        {
            var results = await journal.WriteMessagesAsync(Enumerable.Range(1, 3 + n).Select(s => TestEvents.Event(pid, s)).ToArray());
            Assert.All(results, r => Assert.True(r.IsSuccess, r.Error?.Message));
        }

        // Concurrent reads leave several idle read sessions in the journal's pool, each a session of this database.
        await Task.WhenAll(streams.Select(pid => journal.ReadHighestSequenceNrAsync(pid)));
        await PostgresSessions.TerminateAsync(fixture, connection);

        foreach (var (pid, n) in streams.Select((p, n) => (p, n)))
        {
            Assert.Equal(3 + n, await journal.ReadHighestSequenceNrAsync(pid));
        }
    }
}
