using System.Reflection;
using System.Runtime.CompilerServices;
using CrossMargin.Actors;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

/// <summary>
/// Regression tests for the kernel review of issue 2: shutdown order, scheduling fairness, deterministic ref strings,
/// stashes on stop, DeathWatch on refs without a mailbox and Ask's token registration.
/// </summary>
public sealed class ReviewFixesSpec(ITestOutputHelper output) : TestKit(output)
{
    // ---------------------------------------------------------------- 1. shutdown order

    /// <summary>Records what it receives and its own PostStop in a trace (deterministic system: one thread).</summary>
    private sealed class Recorder : ReceiveActor
    {
        private readonly List<string> _trace;

        public Recorder(List<string> trace)
        {
            _trace = trace;
            Receive<string>(m => trace.Add("recorder got " + m));
        }

        protected override void PostStop() => _trace.Add("recorder stopped");
    }

    /// <summary>A chain of <c>depth</c> descendants, so that the user tree takes several turns to stop.</summary>
    private sealed class Nested : ReceiveActor
    {
        private readonly IActorRef? _report;

        public Nested(int depth, IActorRef? report)
        {
            _report = report;
            if (depth > 0) Context.ActorOf(Props.Create(() => new Nested(depth - 1, null)), "c");
            ReceiveAny(_ => { });
        }

        protected override void PostStop() => _report?.Tell("user actor stopped");
    }

    [Fact]
    public void Bug_shutdown_order_Terminate_stops_the_user_tree_completely_before_system_actors()
    {
        var trace = new List<string>();
        var system = ActorSystem.Create("order", new ActorSystemSetup { Deterministic = true });
        var recorder = system.SystemActorOf(Props.Create(() => new Recorder(trace)), "recorder");
        system.ActorOf(Props.Create(() => new Nested(3, recorder)), "top");
        system.RunUntilIdle();
        Assert.Equal("cm://order/system/recorder", recorder.Path.ToString());

        system.Terminate();

        Assert.True(system.WhenTerminated.IsCompleted);
        // Before the fix /system stopped at the same time as /user, so the recorder was gone when the (deeper) user
        // tree reached PostStop and the report became a dead letter.
        Assert.Equal(new[] { "recorder got user actor stopped", "recorder stopped" }, trace);
    }

    [Fact]
    public async Task Terminate_on_the_thread_pool_also_stops_user_actors_before_system_actors()
    {
        // On the thread pool a message sent from PostStop may still be queued when the recorder's own stop arrives
        // (a stopping actor drops its mailbox, as in Akka), so this checks the guarantee itself: the system actor is
        // alive while the user tree runs PostStop, and stops after it.
        var trace = new List<string>();
        var system = ActorSystem.Create("order-tp");
        var recorder = system.SystemActorOf(Props.Create(() => new LockedRecorder(trace)), "recorder");
        system.ActorOf(Props.Create(() => new AliveChecker(3, recorder, trace)), "top");
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(10));
        lock (trace) Assert.Equal(new[] { "user stopped; recorder alive: True", "recorder stopped" }, trace);
    }

    private sealed class AliveChecker : ReceiveActor
    {
        private readonly IActorRef? _recorder;
        private readonly List<string> _trace;

        public AliveChecker(int depth, IActorRef? recorder, List<string> trace)
        {
            _recorder = recorder;
            _trace = trace;
            if (depth > 0) Context.ActorOf(Props.Create(() => new AliveChecker(depth - 1, null, trace)), "c");
            ReceiveAny(_ => { });
        }

        protected override void PostStop()
        {
            if (_recorder is InternalActorRef r)
                lock (_trace) _trace.Add("user stopped; recorder alive: " + !r.IsTerminated);
        }
    }

    private sealed class LockedRecorder : ReceiveActor
    {
        private readonly List<string> _trace;

        public LockedRecorder(List<string> trace)
        {
            _trace = trace;
            ReceiveAny(_ => { });
        }

        protected override void PostStop()
        {
            lock (_trace) _trace.Add("recorder stopped");
        }
    }

    // ---------------------------------------------------------------- 2. thread-pool fairness

    /// <summary>
    /// Calls the dispatcher's internal queue-choice policy by reflection: which queue the thread pool uses cannot be
    /// observed deterministically from outside (workers and their local queues belong to the runtime).
    /// </summary>
    private static bool PreferLocal(bool insideTurn, int maxLocal, ref int streak)
    {
        var type = typeof(ActorSystem).Assembly.GetType("CrossMargin.Actors.ThreadPoolDispatcher", throwOnError: true)!;
        var method = type.GetMethod("PreferLocal", BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.Static)
            ?? throw new InvalidOperationException("ThreadPoolDispatcher.PreferLocal not found");
        var args = new object[] { insideTurn, maxLocal, streak };
        var result = (bool)method.Invoke(null, args)!;
        streak = (int)args[2];
        return result;
    }

    [Fact]
    public void Bug_fairness_wakeups_inside_turns_use_the_local_queue_only_for_a_bounded_streak()
    {
        // A ping-pong chain schedules every hop from inside a turn. Before the fix every such schedule went to the
        // worker's local queue, which the worker drains before it looks at the global queue: the chain could hold the
        // worker for ever. Now every (max + 1)-th schedule in a row goes to the global FIFO queue.
        const int max = 3;
        var streak = 0;
        var choices = new bool[9];
        for (var i = 0; i < choices.Length; i++) choices[i] = PreferLocal(true, max, ref streak);
        Assert.Equal(new[] { true, true, true, false, true, true, true, false, true }, choices);
        Assert.False(PreferLocal(false, max, ref streak)); // outside a turn: always global
        var never = 0;
        Assert.False(PreferLocal(true, 0, ref never)); // bound 0 = global queue only
    }

    [Fact]
    public async Task A_long_ping_pong_chain_on_the_thread_pool_completes_and_other_actors_keep_being_served()
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var a = ActorOf(Props.Create(() => new Bouncer(done)), "a");
        var b = ActorOf(Props.Create(() => new Bouncer(done)), "b");
        var echo = ActorOf(Props.Create<EchoActor>());
        a.Tell(new Ball(10_000, b));
        echo.Tell("served", TestActor);
        ExpectMsg("served");
        Assert.Equal(0, await done.Task.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed record Ball(int Remaining, IActorRef Other);

    private sealed class Bouncer : ReceiveActor
    {
        public Bouncer(TaskCompletionSource<int> done) => Receive<Ball>(b =>
        {
            if (b.Remaining == 0) done.TrySetResult(0);
            else b.Other.Tell(new Ball(b.Remaining - 1, Self));
        });
    }

    // ---------------------------------------------------------------- 3. deterministic ref strings

    private static string[] RefStrings()
    {
        var system = ActorSystem.Create("twin", new ActorSystemSetup { Deterministic = true });
        try
        {
            var a = system.ActorOf(Props.Create<EchoActor>(), "a");
            var b = system.ActorOf(Props.Create<EchoActor>());
            system.RunUntilIdle();
            return new[] { a.ToString()!, b.ToString()! };
        }
        finally
        {
            system.Terminate();
        }
    }

    [Fact]
    public void Bug_ref_strings_two_identical_systems_in_one_process_print_identical_refs()
    {
        var first = RefStrings();
        var second = RefStrings(); // before the fix the uid came from a process-wide counter and differed
        Assert.Equal(first, second);
        Assert.Matches(@"^\[cm://twin/user/a#\d+\]$", first[0]);
        Assert.NotEqual(first[0][first[0].IndexOf('#')..], first[1][first[1].IndexOf('#')..]); // uids unique per system
    }

    // ---------------------------------------------------------------- 4. CreateStash on stop and restart

    private sealed class ExtraStasher : ReceiveActor
    {
        public ExtraStasher(IActorRef probe)
        {
            var extra = CreateStash();
            Receive<string>(m => m == "stop", _ => Context.Stop(Self));
            Receive<string>(m => m == "boom", _ => throw new InvalidOperationException("boom"));
            Receive<string>(m => m.StartsWith("keep", StringComparison.Ordinal), m =>
            {
                extra.Stash();
                probe.Tell("stashed " + m);
            });
        }
    }

    [Fact]
    public void Bug_extra_stash_messages_still_stashed_on_stop_become_dead_letters()
    {
        var actor = ActorOf(Props.Create(() => new ExtraStasher(TestActor)));
        actor.Tell("keep-1");
        actor.Tell("keep-2");
        ExpectMsg("stashed keep-1");
        ExpectMsg("stashed keep-2");
        EventFilter.DeadLetter<string>(m => m.StartsWith("keep", StringComparison.Ordinal)).Expect(2, () => actor.Tell("stop"));
    }

    [Fact]
    public void Extra_stash_messages_are_returned_to_the_mailbox_on_restart()
    {
        var actor = ActorOf(Props.Create(() => new ExtraStasher(TestActor)));
        actor.Tell("keep-1");
        ExpectMsg("stashed keep-1");
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => actor.Tell("boom"));
        ExpectMsg("stashed keep-1"); // the new incarnation sees it again instead of it being lost
    }

    // ---------------------------------------------------------------- 5. DeathWatch on FunctionRef and Ask temp refs

    [Fact]
    public void Bug_watching_a_live_FunctionRef_gives_Terminated_when_it_is_stopped()
    {
        var f = Sys.CreateFunctionRef((_, _) => { }, "fn");
        Watch(f);
        f.Stop();
        ExpectTerminated(f);
        var late = CreateTestProbe();
        late.Watch(f); // already stopped: Terminated at once
        late.ExpectTerminated(f);
    }

    [Fact]
    public void Unwatching_a_FunctionRef_before_it_stops_prevents_the_Terminated()
    {
        var f = Sys.CreateFunctionRef((_, _) => { });
        var watcher = ActorOf(Props.Create(() => new UnwatchThenPing(f, TestActor)));
        watcher.Tell("go");
        ExpectMsg("unwatched");
        f.Stop();
        watcher.Tell("ping"); // the notification (if any) is handled synchronously by Stop, before this marker
        ExpectMsg("pong");
    }

    private sealed class UnwatchThenPing : ReceiveActor
    {
        public UnwatchThenPing(IActorRef target, IActorRef report)
        {
            Context.Watch(target);
            Receive<string>(m => m == "go", _ => { Context.Unwatch(target); report.Tell("unwatched"); });
            Receive<string>(m => m == "ping", _ => Self.Tell("ping-2"));
            Receive<string>(m => m == "ping-2", _ => report.Tell("pong"));
            Receive<Terminated>(t => report.Tell(t));
        }
    }

    [Fact]
    public async Task Bug_watching_an_Ask_temp_ref_gives_Terminated_when_the_Ask_completes()
    {
        var actor = ActorOf(Props.Create(() => new SenderWatcher(TestActor)));
        var answer = await actor.Ask<string>("question", TimeSpan.FromSeconds(10));
        Assert.Equal("answer", answer);
        var temp = ExpectMsg<IActorRef>();
        Assert.Contains("/temp/", temp.Path.ToString(), StringComparison.Ordinal);
        ExpectMsg<Terminated>(t => Assert.Equal(temp, t.ActorRef));
    }

    private sealed class SenderWatcher : ReceiveActor
    {
        public SenderWatcher(IActorRef report)
        {
            Receive<string>(_ =>
            {
                Context.Watch(Sender);
                report.Tell(Sender);
                Sender.Tell("answer");
            });
            Receive<Terminated>(t => report.Tell(t));
        }
    }

    // ---------------------------------------------------------------- 6. Ask's cancellation registration

    [Fact]
    public void Bug_ask_token_registration_is_disposed_when_the_ask_completes()
    {
        using var cts = new CancellationTokenSource();
        var replier = Sys.CreateFunctionRef((_, sender) => sender!.Tell(42, null));
        var task = AskAndForget(replier, cts.Token);
        for (var i = 0; i < 3 && task.IsAlive; i++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }
        // Before the fix the long-lived token kept the registration, hence the promise and its task, alive.
        Assert.False(task.IsAlive, "the completed Ask is still reachable from the CancellationTokenSource");
        cts.Cancel(); // nothing left to cancel; must not throw
        GC.KeepAlive(cts);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static WeakReference AskAndForget(FunctionRef target, CancellationToken token)
    {
        var task = target.Ask<int>("question", Timeout.InfiniteTimeSpan, token);
        Assert.True(task.IsCompletedSuccessfully); // the function ref replied synchronously
        Assert.Equal(42, task.Result);
        return new WeakReference(task);
    }

    [Fact]
    public async Task Cancelling_the_token_still_cancels_a_pending_Ask()
    {
        using var cts = new CancellationTokenSource();
        var silent = Sys.CreateFunctionRef((_, _) => { });
        var task = silent.Ask<int>("question", Timeout.InfiniteTimeSpan, cts.Token);
        Assert.False(task.IsCompleted);
        cts.Cancel();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }
}
