using CrossMargin.Actors;
using CrossMargin.Persistence.Actors;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;
using CrossMargin.Persistence.Testing;
using Xunit.Abstractions;
using PersistenceExtension = CrossMargin.Persistence.Actors.Persistence;

namespace CrossMargin.Persistence.Tests.Actors;

public sealed class PersistentActorSpec : CrossMargin.TestKit.TestKit
{
    private readonly InMemoryJournal _store = new(CounterActor.Serializer());
    private readonly RecordingJournal _recording;
    private readonly FaultInjectingJournal _journal;

    public PersistentActorSpec(ITestOutputHelper output)
        : base(output)
    {
        _recording = new RecordingJournal(_store);
        _journal = new FaultInjectingJournal(_recording);
        PersistenceExtension.Configure(Sys, _journal, new InMemorySnapshotStore(CounterActor.Serializer()), new PersistenceSettings { MaxConcurrentRecoveries = 1 });
    }

    private IActorRef StartCounter(string pid, bool awaitRecovery = true)
    {
        var actor = Sys.ActorOf(CounterActor.Props(pid, TestActor));
        if (awaitRecovery)
        {
            ExpectMsg<Recovered>(r => Assert.Equal(pid, r.PersistenceId));
        }

        return actor;
    }

    private void StopAndWait(IActorRef actor)
    {
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
    }

    [Fact]
    public void PersistentActor_should_deliver_RecoveryCompleted_when_the_journal_is_empty()
    {
        Sys.ActorOf(CounterActor.Props("empty", TestActor));
        var recovered = ExpectMsg<Recovered>();
        Assert.Equal(("empty", 0, 0L), (recovered.PersistenceId, recovered.Total, recovered.LastSequenceNr));
    }

    [Fact]
    public void Persist_should_run_the_handler_after_the_write_with_the_original_sender()
    {
        var counter = StartCounter("c1");
        var client = CreateTestProbe();
        client.Send(counter, new Add(5));
        Assert.Equal(new Acked(1, 5), client.ExpectMsg<Acked>());
        client.Send(counter, new Add(2));
        Assert.Equal(new Acked(2, 7), client.ExpectMsg<Acked>());
    }

    [Fact]
    public void Persist_should_stash_new_commands_until_its_handler_has_run()
    {
        var counter = StartCounter("c2");
        var release = new TaskCompletionSource();
        _journal.DelayWrites(_ => true, release.Task);

        counter.Tell(new Add(5), TestActor);
        counter.Tell(new GetState(), TestActor);
        release.SetResult();

        Assert.Equal(new Acked(1, 5), ExpectMsg<Acked>());
        Assert.Equal(5, ExpectMsg<State>().Total);
    }

    [Fact]
    public void PersistAsync_should_keep_processing_commands_while_the_write_is_in_flight()
    {
        var counter = StartCounter("c3");
        var release = new TaskCompletionSource();
        _journal.DelayWrites(_ => true, release.Task);

        counter.Tell(new AddAsync(5), TestActor);
        counter.Tell(new GetState(), TestActor);
        Assert.Equal(0, ExpectMsg<State>().Total);
        release.SetResult();
        Assert.Equal(new Acked(1, 5), ExpectMsg<Acked>());
    }

    [Fact]
    public void PersistentActor_should_keep_one_write_in_flight_and_send_what_queued_behind_it_as_one_batch()
    {
        var counter = StartCounter("c4");
        var release = new TaskCompletionSource();
        _journal.DelayWrites(e => e.SequenceNr == 1, release.Task);

        for (var i = 1; i <= 5; i++)
        {
            counter.Tell(new AddAsync(i), TestActor);
        }

        counter.Tell(new GetState(), TestActor);
        Assert.Equal(0, ExpectMsg<State>().LastSequenceNr); // all five queued, none confirmed yet
        release.SetResult();
        for (var seq = 1; seq <= 5; seq++)
        {
            Assert.Equal(seq, ExpectMsg<Acked>().SequenceNr);
        }

        Assert.Equal(new[] { 1, 4 }, _recording.WriteCalls.ToArray());
    }

    [Fact]
    public void PersistAll_should_store_atomically_and_run_the_handler_per_event_in_order()
    {
        var counter = StartCounter("c5");
        counter.Tell(new AddMany(new[] { 1, 2, 3 }), TestActor);
        Assert.Equal(new Acked(1, 1), ExpectMsg<Acked>());
        Assert.Equal(new Acked(2, 3), ExpectMsg<Acked>());
        Assert.Equal(new Acked(3, 6), ExpectMsg<Acked>());
        Assert.Equal(new[] { 3 }, _recording.WriteCalls.ToArray());
    }

    [Fact]
    public void DeferAsync_should_run_after_the_preceding_persist_handlers()
    {
        var counter = StartCounter("c6");
        counter.Tell(new AddThenDefer(4), TestActor);
        Assert.Equal("deferred:4", ExpectMsg<string>());
    }

    [Fact]
    public void PersistentActor_should_recover_its_state_from_the_journal_after_a_restart()
    {
        var first = StartCounter("c7");
        first.Tell(new Add(1), TestActor);
        first.Tell(new Add(2), TestActor);
        ExpectMsg<Acked>();
        ExpectMsg<Acked>();
        StopAndWait(first);

        var second = Sys.ActorOf(CounterActor.Props("c7", TestActor));
        var recovered = ExpectMsg<Recovered>();
        Assert.Equal((3, 2L), (recovered.Total, recovered.LastSequenceNr));
        second.Tell(new Add(10), TestActor);
        Assert.Equal(new Acked(3, 13), ExpectMsg<Acked>());
    }

    [Fact]
    public void PersistentActor_should_recover_from_the_latest_snapshot_and_replay_only_later_events()
    {
        var first = StartCounter("c8");
        first.Tell(new Add(1), TestActor);
        first.Tell(new Add(2), TestActor);
        first.Tell(new TakeSnapshot(), TestActor);
        first.Tell(new Add(4), TestActor);
        ExpectMsg<Acked>();
        ExpectMsg<Acked>();
        Assert.Equal(2, FishForMessage<SaveSnapshotSuccess>(_ => true).Metadata.SequenceNr);
        StopAndWait(first);

        var second = Sys.ActorOf(CounterActor.Props("c8", TestActor));
        Assert.Equal(7, ExpectMsg<Recovered>().Total);
        second.Tell(new GetState(), TestActor);
        Assert.Equal(new[] { "snapshot@2", "event@3" }, ExpectMsg<State>().Recovered);
    }

    [Fact]
    public void PersistentActor_should_stop_when_a_write_fails()
    {
        var counter = StartCounter("c9");
        Watch(counter);
        _journal.FailWrites(_ => true, new InvalidOperationException("disk on fire"));
        EventFilter.Error(contains: "c9").ExpectOne(() => counter.Tell(new Add(1), TestActor));
        ExpectTerminated(counter);
    }

    [Fact]
    public void PersistentActor_should_call_OnPersistRejected_and_go_on_when_an_event_cannot_be_serialized()
    {
        var counter = StartCounter("c10");
        counter.Tell(new AddUnserializable(), TestActor);
        var rejected = ExpectMsg<Rejected>();
        Assert.Equal(1, rejected.SequenceNr);
        Assert.Contains(nameof(Unregistered), rejected.Reason, StringComparison.Ordinal);
        counter.Tell(new Add(3), TestActor);
        Assert.Equal(3, ExpectMsg<Acked>().Total);
    }

    [Fact]
    public async Task PersistentActor_should_fail_only_the_recovery_of_the_stream_with_an_unreadable_event()
    {
        var writer = new EventSerializer().Register<Added>("added", 1).Register<Unregistered>("unregistered", 1);
        var seeded = _store.Reopen(writer);
        await seeded.WriteMessagesAsync(new[]
        {
            new AtomicWrite(new PersistentRepr("bad", 1, new Unregistered(1), "w")),
            new AtomicWrite(new PersistentRepr("good", 1, new Added(2), "w")),
        });

        var bad = Sys.ActorOf(CounterActor.Props("bad", TestActor));
        Watch(bad);
        var failed = ExpectMsg<RecoveryFailed>();
        var error = Assert.IsType<EventDeserializationException>(failed.Reason);
        Assert.Equal(("bad", 1L), (error.PersistenceId, error.SequenceNr));
        ExpectTerminated(bad);

        Sys.ActorOf(CounterActor.Props("good", TestActor));
        Assert.Equal(2, ExpectMsg<Recovered>().Total);
    }

    [Fact]
    public async Task PersistentActor_should_wait_for_a_recovery_permit_when_the_cap_is_reached()
    {
        var release = new TaskCompletionSource();
        _journal.DelayReplays(pid => pid == "slow", release.Task);
        await _journal.WriteMessagesAsync(new[] { new AtomicWrite(new PersistentRepr("slow", 1, new Added(1), "w")) });

        Sys.ActorOf(CounterActor.Props("slow", TestActor));
        AwaitCondition(() => PersistenceExtension.Get(Sys).RecoveryPermitter.InUse == 1);
        Sys.ActorOf(CounterActor.Props("fast", TestActor));
        release.SetResult();

        Assert.Equal("slow", ExpectMsg<Recovered>().PersistenceId);
        Assert.Equal("fast", ExpectMsg<Recovered>().PersistenceId);
        AwaitCondition(() => PersistenceExtension.Get(Sys).RecoveryPermitter.InUse == 0);
    }

    [Fact]
    public void DeleteMessages_should_delete_events_but_keep_the_sequence_numbers_going()
    {
        var first = StartCounter("c11");
        first.Tell(new AddMany(new[] { 1, 2, 3 }), TestActor);
        ExpectMsg<Acked>();
        ExpectMsg<Acked>();
        ExpectMsg<Acked>();
        first.Tell(new DeleteUpTo(long.MaxValue), TestActor);
        ExpectMsg<DeleteMessagesSuccess>();
        StopAndWait(first);

        var second = Sys.ActorOf(CounterActor.Props("c11", TestActor));
        var recovered = ExpectMsg<Recovered>();
        Assert.Equal((0, 3L), (recovered.Total, recovered.LastSequenceNr));
        second.Tell(new Add(1), TestActor);
        Assert.Equal(4, ExpectMsg<Acked>().SequenceNr);
    }

    [Fact]
    public async Task Persist_should_store_the_tags_of_a_Tagged_event_for_EventsByTag()
    {
        var counter = StartCounter("c13");
        counter.Tell(new AddTagged(3, "vip"), TestActor);
        counter.Tell(new Add(1), TestActor);
        Assert.Equal(new Acked(1, 3), ExpectMsg<Acked>());
        ExpectMsg<Acked>();

        var tagged = new List<Query.EventEnvelope>();
        await foreach (var e in _store.CurrentEventsByTag("vip", 0))
        {
            tagged.Add(e);
        }

        var only = Assert.Single(tagged);
        Assert.Equal(("c13", 1L, (object)new Added(3)), (only.PersistenceId, only.SequenceNr, only.Event));
    }

    [Fact]
    public void DeleteMessages_should_refuse_a_bound_beyond_the_last_sequence_number()
    {
        var counter = StartCounter("c12");
        counter.Tell(new DeleteUpTo(5), TestActor);
        Assert.Equal(5, ExpectMsg<DeleteMessagesFailure>().ToSequenceNr);
    }
}
