using System.Diagnostics;
using CrossMargin.Actors;
using CrossMargin.Persistence.Actors;
using CrossMargin.Persistence.Configuration;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Journal;
using CrossMargin.Persistence.Serialization;

namespace CrossMargin.Persistence.Benchmarks;

/// <summary>Write throughput through real persistent actors (the full path: mailbox, stash, actor-side batching, group commit).</summary>
public static class ActorBench
{
    public static async Task<double> RunAsync(IJournal journal, EventSerializer serializer, int actors, int eventsPerActor, bool persistAsync, byte[] note)
    {
        using var system = ActorSystem.Create("bench");
        Persistence.Actors.Persistence.Configure(system, journal, new InMemorySnapshotStore(serializer), new PersistenceSettings());
        var run = new Run(actors, actors * (long)eventsPerActor);
        var refs = Enumerable.Range(0, actors)
            .Select(i => system.ActorOf(Props.Create(() => new WriterActor($"actor-{i}", run, persistAsync, note))))
            .ToArray();
        await run.Ready.Task.WaitAsync(TimeSpan.FromMinutes(2));

        var sw = Stopwatch.StartNew();
        for (var n = 0; n < eventsPerActor; n++)
        {
            foreach (var actor in refs)
            {
                actor.Tell(n);
            }
        }

        await run.Done.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var rate = run.Expected / sw.Elapsed.TotalSeconds;
        await system.Terminate();
        return rate;
    }

    /// <summary>
    /// Starts <paramref name="actors"/> persistent actors with ids <c>pid-0</c>… and times until every one has handled
    /// <see cref="RecoveryCompleted"/> (recovery permits, snapshot load, replay, mailbox delivery of the events).
    /// </summary>
    public static async Task<double> RecoverAsync(IJournal journal, EventSerializer serializer, int actors, long expectedEvents)
    {
        using var system = ActorSystem.Create("bench-recovery");
        Persistence.Actors.Persistence.Configure(system, journal, new InMemorySnapshotStore(serializer), new PersistenceSettings());
        var run = new Run(actors, 0);
        long recovered = 0;
        var sw = Stopwatch.StartNew();
        for (var i = 0; i < actors; i++)
        {
            var pid = $"pid-{i}"; // a fresh variable per actor: the Props factory runs later, on another thread
            system.ActorOf(Props.Create(() => new RecoveringActor(pid, run, () => Interlocked.Increment(ref recovered))));
        }

        await run.Ready.Task.WaitAsync(TimeSpan.FromMinutes(5));
        var elapsed = sw.Elapsed.TotalSeconds;
        await system.Terminate();
        if (Interlocked.Read(ref recovered) != expectedEvents)
        {
            throw new InvalidOperationException($"recovered {recovered} events, expected {expectedEvents}");
        }

        return expectedEvents / elapsed;
    }

    private sealed class RecoveringActor : ReceivePersistentActor
    {
        private readonly string _pid;
        private readonly Run _run;

        public RecoveringActor(string pid, Run run, Action onEvent)
        {
            _pid = pid;
            _run = run;
            Recover<BenchEvent>(_ => onEvent());
            Recover<RecoveryCompleted>(_ => run.OnReady());
        }

        public override string PersistenceId => _pid;

        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            base.OnRecoveryFailure(reason, message);
            _run.Fail(new InvalidOperationException($"{_pid}: recovery failed: {reason.Message}", reason));
        }
    }

    private sealed class Run(int actors, long expected)
    {
        private int _ready;
        private long _persisted;

        public long Expected { get; } = expected;

        public TaskCompletionSource Ready { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public void OnReady()
        {
            if (Interlocked.Increment(ref _ready) == actors)
            {
                Ready.TrySetResult();
            }
        }

        public void Fail(Exception cause) => Ready.TrySetException(cause);

        public void FailWrites(Exception cause) => Done.TrySetException(cause);

        public void OnPersisted()
        {
            if (Interlocked.Increment(ref _persisted) == Expected)
            {
                Done.TrySetResult();
            }
        }
    }

    private sealed class WriterActor : ReceivePersistentActor
    {
        private readonly string _pid;
        private readonly Run _run;

        public WriterActor(string pid, Run run, bool persistAsync, byte[] note)
        {
            _pid = pid;
            _run = run;
            Recover<RecoveryCompleted>(_ => run.OnReady());
            Command<int>(n =>
            {
                var e = new BenchEvent(n, n, 42, note);
                if (persistAsync)
                {
                    PersistAsync(e, _ => run.OnPersisted());
                }
                else
                {
                    Persist(e, _ => run.OnPersisted());
                }
            });
        }

        public override string PersistenceId => _pid;

        protected override void OnRecoveryFailure(Exception reason, object? message = null)
        {
            base.OnRecoveryFailure(reason, message);
            _run.Fail(new InvalidOperationException($"{_pid}: recovery failed: {reason.Message}", reason));
        }

        protected override void OnPersistFailure(Exception cause, object @event, long sequenceNr)
        {
            base.OnPersistFailure(cause, @event, sequenceNr);
            _run.FailWrites(new InvalidOperationException($"{_pid}: write #{sequenceNr} failed: {cause.Message}", cause));
        }
    }
}
