using CrossMargin.Actors;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class DeterministicDispatcherSpec
{
    private sealed record Hop(int Remaining, int Origin);

    /// <summary>Nodes relay hops to pseudo-random peers and start timers; every delivery is recorded in one trace.</summary>
    private sealed class Node : ReceiveActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        public Node(int id, IActorRef[] peers, List<string> trace)
        {
            Receive<Hop>(h =>
            {
                trace.Add($"{id}<-{h.Origin}:{h.Remaining}@{Context.System.Scheduler.Now:mm:ss.fff}");
                if (h.Remaining == 0) return;
                peers[(id * 7 + h.Remaining * 3) % peers.Length].Tell(h with { Remaining = h.Remaining - 1 });
                if (h.Remaining % 5 == 0) Timers.StartSingleTimer(h.Remaining, h with { Remaining = h.Remaining - 1, Origin = -id }, TimeSpan.FromMilliseconds(h.Remaining * 10));
            });
        }
    }

    private static List<string> RunOnce()
    {
        var trace = new List<string>();
        var system = ActorSystem.Create("det", new ActorSystemSetup { Deterministic = true });
        var peers = new IActorRef[20];
        for (var i = 0; i < peers.Length; i++)
        {
            var id = i;
            peers[i] = system.ActorOf(Props.Create(() => new Node(id, peers, trace)), "n" + i);
        }
        for (var i = 0; i < peers.Length; i++) peers[i].Tell(new Hop(30, i));
        system.RunFor(TimeSpan.FromSeconds(10));
        system.Terminate();
        Assert.True(system.WhenTerminated.IsCompleted);
        return trace;
    }

    [Fact]
    public void Two_runs_with_the_same_inputs_deliver_messages_in_the_identical_order()
    {
        var first = RunOnce();
        var second = RunOnce();
        Assert.True(first.Count > 600, $"trace too short: {first.Count}");
        Assert.Contains(first, t => t.Contains("<--", StringComparison.Ordinal)); // timer-driven hops happened
        Assert.Equal(first, second);
    }

    [Fact]
    public void Actors_take_turns_of_throughput_messages_in_ready_order()
    {
        var trace = new List<string>();
        var system = ActorSystem.Create("turns", new ActorSystemSetup
        {
            Deterministic = true,
            Settings = ActorSystemSettings.Default with { Throughput = 2 },
        });
        var a = system.ActorOf(Props.Create(() => new Tracer("A", trace)));
        var b = system.ActorOf(Props.Create(() => new Tracer("B", trace)));
        system.RunUntilIdle();
        for (var i = 1; i <= 4; i++) a.Tell(i);
        for (var i = 1; i <= 4; i++) b.Tell(i);
        system.RunUntilIdle();
        Assert.Equal(new[] { "A1", "A2", "B1", "B2", "A3", "A4", "B3", "B4" }, trace);
        system.Terminate();
    }

    private sealed class Tracer : ReceiveActor
    {
        public Tracer(string name, List<string> trace) => Receive<int>(i => trace.Add(name + i));
    }

    [Fact]
    public void System_messages_are_rechecked_after_each_user_message_within_a_turn()
    {
        var trace = new List<string>();
        var system = ActorSystem.Create("syscheck", new ActorSystemSetup { Deterministic = true });
        var dead = new List<object>();
        var listener = system.CreateFunctionRef((m, _) => dead.Add(((DeadLetter)m).Message));
        system.EventStream.Subscribe(listener, typeof(DeadLetter));
        var a = system.ActorOf(Props.Create(() => new StopsOnTwo(trace)));
        system.RunUntilIdle();
        for (var i = 1; i <= 5; i++) a.Tell(i);
        system.RunUntilIdle(); // one turn of up to 30 messages: the Terminate queued by message 2 is handled right after it
        Assert.Equal(new[] { "A1", "A2" }, trace);
        Assert.Equal(new object[] { 3, 4, 5 }, dead);
        system.Terminate();
    }

    private sealed class StopsOnTwo : ReceiveActor
    {
        public StopsOnTwo(List<string> trace) => Receive<int>(i =>
        {
            trace.Add("A" + i);
            if (i == 2) Context.Stop(Self);
        });
    }

    [Fact]
    public void Unstash_returns_the_oldest_stashed_message_ahead_of_the_queue()
    {
        var trace = new List<string>();
        var system = ActorSystem.Create("unstash", new ActorSystemSetup { Deterministic = true });
        var a = system.ActorOf(Props.Create(() => new OneAtATime(trace)));
        foreach (var m in new[] { "x", "y", "release", "z" }) a.Tell(m);
        system.RunUntilIdle();
        Assert.Equal(new[] { "release", "x", "z" }, trace); // only the oldest (x) came back, ahead of z; y stays stashed
        system.Terminate();
    }

    private sealed class OneAtATime : ReceiveActor, IWithStash
    {
        public IStash Stash { get; set; } = null!;

        public OneAtATime(List<string> trace)
        {
            Receive<string>(m => m == "release", m =>
            {
                trace.Add(m);
                Stash.Unstash();
                Become(() => Receive<string>(x => trace.Add(x)));
            });
            Receive<string>(_ => Stash.Stash());
        }
    }

    [Fact]
    public void Async_handlers_awaiting_other_actors_complete_inside_RunUntilIdle()
    {
        var system = ActorSystem.Create("asyncdet", new ActorSystemSetup { Deterministic = true });
        var got = new List<object>();
        var sink = system.CreateFunctionRef((m, _) => got.Add(m));
        var echo = system.ActorOf(Props.Create<EchoActor>());
        var asker = system.ActorOf(Props.Create(() => new Asker(echo)));
        for (var i = 0; i < 3; i++) asker.Tell(i, sink);
        system.RunUntilIdle();
        Assert.Equal(new object[] { "0!", "1!", "2!" }, got);
        system.Terminate();
    }

    [Fact]
    public void Async_handlers_resume_inside_the_loop_even_when_the_caller_has_a_SynchronizationContext()
    {
        var callerContext = new SwallowingContext();
        var previous = SynchronizationContext.Current;
        SynchronizationContext.SetSynchronizationContext(callerContext);
        try
        {
            var system = ActorSystem.Create("asyncctx", new ActorSystemSetup { Deterministic = true });
            var got = new List<object>();
            var sink = system.CreateFunctionRef((m, _) => got.Add(m));
            var echo = system.ActorOf(Props.Create<EchoActor>());
            var asker = system.ActorOf(Props.Create(() => new Asker(echo)));
            for (var i = 0; i < 3; i++) asker.Tell(i, sink);
            system.RunUntilIdle();
            Assert.Equal(0, callerContext.Posts); // nothing escaped to the caller's context
            Assert.Equal(new object[] { "0!", "1!", "2!" }, got);
            Assert.Same(callerContext, SynchronizationContext.Current); // restored after the loop
            system.Terminate();
        }
        finally
        {
            SynchronizationContext.SetSynchronizationContext(previous);
        }
    }

    /// <summary>Counts and drops posted work, so a continuation captured by it would never run.</summary>
    private sealed class SwallowingContext : SynchronizationContext
    {
        private int _posts;

        public int Posts => Volatile.Read(ref _posts);

        public override void Post(SendOrPostCallback d, object? state) => Interlocked.Increment(ref _posts);
    }

    private sealed class Asker : ReceiveActor
    {
        public Asker(IActorRef echo) => ReceiveAsync<int>(async i =>
        {
            var reply = await echo.Ask<int>(i, TimeSpan.FromSeconds(1));
            Sender.Tell(reply + "!");
        });
    }

    [Fact]
    public void Nothing_runs_until_the_caller_drives_the_loop()
    {
        var trace = new List<string>();
        var system = ActorSystem.Create("lazy", new ActorSystemSetup { Deterministic = true });
        var a = system.ActorOf(Props.Create(() => new Tracer("A", trace)));
        a.Tell(1);
        Assert.Empty(trace);
        Assert.True(system.RunUntilIdle() > 0);
        Assert.Equal(new[] { "A1" }, trace);
        system.Terminate();
    }

    [Fact]
    public void A_bounded_mailbox_sends_overflow_to_dead_letters()
    {
        var trace = new List<string>();
        var system = ActorSystem.Create("bounded", new ActorSystemSetup { Deterministic = true });
        var dead = new List<object>();
        var listener = system.CreateFunctionRef((m, _) => dead.Add(((DeadLetter)m).Message));
        system.EventStream.Subscribe(listener, typeof(DeadLetter));
        var a = system.ActorOf(Props.Create(() => new Tracer("A", trace)).WithBoundedMailbox(3));
        for (var i = 1; i <= 5; i++) a.Tell(i);
        system.RunUntilIdle();
        Assert.Equal(new[] { "A1", "A2", "A3" }, trace);
        Assert.Equal(new object[] { 4, 5 }, dead);
        system.Terminate();
    }

    [Fact]
    public void RunFor_fires_timers_in_due_order_and_advances_the_clock()
    {
        var system = ActorSystem.Create("clock", new ActorSystemSetup { Deterministic = true });
        var got = new List<(string, DateTimeOffset)>();
        var sink = system.CreateFunctionRef((m, _) => got.Add(((string)m, system.Scheduler.Now)));
        var start = system.Scheduler.Now;
        system.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(3), sink, "c", null);
        system.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(1), sink, "a", null);
        system.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(2), sink, "b", null);
        system.RunFor(TimeSpan.FromSeconds(2.5));
        Assert.Equal(new[] { ("a", start.AddSeconds(1)), ("b", start.AddSeconds(2)) }, got);
        Assert.Equal(start.AddSeconds(2.5), system.Scheduler.Now);
        system.Terminate();
    }
}

public sealed class DeterministicTestKitSpec(ITestOutputHelper output)
    : TestKit(output, new ActorSystemSetup { Deterministic = true })
{
    [Fact]
    public void The_test_kit_drives_a_deterministic_system_while_waiting()
    {
        var echo = ActorOf(Props.Create<EchoActor>());
        echo.Tell("ping", TestActor);
        ExpectMsg("ping");
        ExpectNoMsg();
    }
}
