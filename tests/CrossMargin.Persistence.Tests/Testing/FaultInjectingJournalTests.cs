using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Testing;
using CrossMargin.Persistence.Tests.Conformance;
using static CrossMargin.Persistence.Tests.Conformance.TestEvents;

namespace CrossMargin.Persistence.Tests.Testing;

public sealed class FaultInjectingJournalTests
{
    private readonly FaultInjectingJournal _journal = new(new InMemoryJournal(Serializer()));

    [Fact]
    public async Task FaultInjectingJournal_should_fail_matching_writes_and_store_the_others()
    {
        _journal.FailWrites(e => e.PersistenceId == "bad");
        var results = await _journal.WriteMessagesAsync(new[] { Event("bad", 1), Event("good", 1) });
        Assert.Equal(WriteOutcome.Failed, results[0].Outcome);
        Assert.Equal(WriteOutcome.Success, results[1].Outcome);
        Assert.Equal(0, await _journal.ReadHighestSequenceNrAsync("bad"));
        Assert.Equal(1, await _journal.ReadHighestSequenceNrAsync("good"));
    }

    [Fact]
    public async Task FaultInjectingJournal_should_reject_writes_by_sequence_number()
    {
        _journal.RejectWrites(e => e.SequenceNr == 2);
        var results = await _journal.WriteMessagesAsync(Range("p", 1, 3));
        Assert.Equal(new[] { WriteOutcome.Success, WriteOutcome.Rejected, WriteOutcome.Success }, results.Select(r => r.Outcome));
    }

    [Fact]
    public async Task FaultInjectingJournal_should_hold_matching_writes_until_released()
    {
        var release = new TaskCompletionSource();
        _journal.DelayWrites(e => e.Payload is Deposited, release.Task);
        var write = _journal.WriteMessagesAsync(new[] { Event("p", 1) });
        Assert.False(write.IsCompleted);
        Assert.Equal(0, await _journal.ReadHighestSequenceNrAsync("p"));
        release.SetResult();
        Assert.True((await write)[0].IsSuccess);
        Assert.Equal(1, await _journal.ReadHighestSequenceNrAsync("p"));
    }

    [Fact]
    public async Task FaultInjectingJournal_should_fail_replays_by_persistence_id_and_stop_after_rules_are_cleared()
    {
        await WriteAllAsync(_journal, new[] { Event("p", 1) });
        _journal.FailReplays(pid => pid == "p");
        await Assert.ThrowsAsync<InvalidOperationException>(() => ReplayAsync(_journal, "p"));
        _journal.ClearRules();
        Assert.Single(await ReplayAsync(_journal, "p"));
    }
}
