using CrossMargin.Actors;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class DeathWatchAndStopSpec(ITestOutputHelper output) : TestKit(output)
{
    [Fact]
    public void Terminated_arrives_when_a_watched_actor_stops()
    {
        var actor = ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        var t = ExpectTerminated(actor);
        Assert.True(t.ExistenceConfirmed);
    }

    [Fact]
    public void Terminated_arrives_even_when_the_target_was_already_dead()
    {
        var actor = ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var watcher = ActorOf(Props.Create(() => new LateWatcher(actor, TestActor)));
        ExpectMsg<Terminated>(t => Assert.Equal(actor, t.ActorRef));
    }

    private sealed class LateWatcher : ReceiveActor
    {
        public LateWatcher(IActorRef target, IActorRef report)
        {
            Context.Watch(target);
            Receive<Terminated>(t => report.Tell(t));
        }
    }

    [Fact]
    public void An_unhandled_Terminated_raises_DeathPactException_and_stops_the_watcher()
    {
        var target = ActorOf(Props.Create<EchoActor>());
        var watcher = ActorOf(Props.Create(() => new IgnoringWatcher(target)));
        Watch(watcher);
        EventFilter.Exception<DeathPactException>().ExpectOne(() => Sys.Stop(target));
        ExpectTerminated(watcher);
    }

    private sealed class IgnoringWatcher : ReceiveActor
    {
        public IgnoringWatcher(IActorRef target)
        {
            Context.Watch(target);
            Receive<string>(_ => { });
        }
    }

    [Fact]
    public async Task Unwatch_prevents_the_Terminated()
    {
        // The target is the child of a parent we watch: the parent's Terminated proves the target finished stopping,
        // i.e. any DeathWatchNotification for the watcher was already posted before the marker below.
        var parent = ActorOf(Props.Create(() => new ParentOfEcho()));
        var target = await parent.Ask<IActorRef>("child", TimeSpan.FromSeconds(5));
        var probe = CreateTestProbe(); // the watcher reports here, apart from the TestActor's own Terminated
        var watcher = ActorOf(Props.Create(() => new UnwatchingWatcher(target, probe.Ref)));
        watcher.Tell("unwatch", probe.Ref);
        probe.ExpectMsg("unwatched");
        Watch(parent);
        Sys.Stop(parent);
        ExpectTerminated(parent);
        // The watcher relays the marker to itself: a Terminated queued while handling "ping" would be ahead of "ping-2".
        watcher.Tell("ping", probe.Ref);
        probe.ExpectMsg("pong"); // fails with a Terminated first if Unwatch did nothing
    }

    [Fact]
    public async Task Without_Unwatch_the_same_setup_delivers_the_Terminated_before_the_marker()
    {
        // Control for the test above: proves that its marker would reveal a Terminated.
        var parent = ActorOf(Props.Create(() => new ParentOfEcho()));
        var target = await parent.Ask<IActorRef>("child", TimeSpan.FromSeconds(5));
        var probe = CreateTestProbe();
        var watcher = ActorOf(Props.Create(() => new UnwatchingWatcher(target, probe.Ref)));
        watcher.Tell("ping", probe.Ref);
        probe.ExpectMsg("pong"); // the watcher is running, so its Watch reached the target before the stop below
        Watch(parent);
        Sys.Stop(parent);
        ExpectTerminated(parent);
        watcher.Tell("ping", probe.Ref);
        probe.ExpectMsg<Terminated>(t => Assert.Equal(target, t.ActorRef));
        probe.ExpectMsg("pong");
    }

    private sealed class ParentOfEcho : ReceiveActor
    {
        public ParentOfEcho()
        {
            var child = Context.ActorOf(Props.Create<EchoActor>(), "echo");
            Receive<string>(_ => Sender.Tell(child));
        }
    }

    private sealed class UnwatchingWatcher : ReceiveActor
    {
        public UnwatchingWatcher(IActorRef target, IActorRef report)
        {
            Context.Watch(target);
            Receive<string>(m => m == "unwatch", _ => { Context.Unwatch(target); Sender.Tell("unwatched"); });
            Receive<string>(m => m == "ping", _ => Self.Tell("ping-2", Sender));
            Receive<string>(m => m == "ping-2", _ => Sender.Tell("pong"));
            Receive<Terminated>(t => report.Tell(t));
        }
    }

    [Fact]
    public void Tell_to_a_stopped_actor_becomes_a_logged_dead_letter_without_exception()
    {
        var actor = ActorOf(Props.Create<EchoActor>(), "gone");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        ExpectDeadLetter<string>(() => actor.Tell("too late", TestActor), m => m == "too late");
        EventFilter.Info("dead letters encountered").ExpectOne(() => actor.Tell("again", TestActor));
    }

    [Fact]
    public void Dead_letters_are_published_on_the_event_stream_with_sender_and_recipient()
    {
        var actor = ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        actor.Tell(42, TestActor);
        var d = probe.ExpectMsg<DeadLetter>();
        Assert.Equal(42, d.Message);
        Assert.Equal(TestActor, d.Sender);
        Assert.Equal(actor, d.Recipient);
    }

    [Fact]
    public void Stopping_a_parent_stops_children_first_and_runs_PostStop_bottom_up()
    {
        var probe = CreateTestProbe();
        var top = ActorOf(Props.Create(() => new Tree(probe.Ref, 2)), "top");
        Assert.Equal(new[] { "started child-0", "started child-1", "started top" }, probe.ReceiveN(3).Cast<string>().Order());
        Watch(top);
        Sys.Stop(top);
        Assert.Equal(new object[] { "stopped child-0", "stopped child-1", "stopped top" }, probe.ReceiveN(3));
        ExpectTerminated(top);
    }

    private sealed class Tree : ReceiveActor
    {
        private readonly IActorRef _probe;

        public Tree(IActorRef probe, int depth)
        {
            _probe = probe;
            if (depth > 0) Context.ActorOf(Props.Create(() => new Tree(probe, depth - 1)), "child-" + (depth - 1));
            ReceiveAny(_ => { });
        }

        protected override void PreStart() => _probe.Tell("started " + Self.Path.Name);

        protected override void PostStop() => _probe.Tell("stopped " + Self.Path.Name);
    }

    [Fact]
    public void Remaining_messages_of_a_stopping_actor_become_dead_letters()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ActorOf(Props.Create(() => new BlockingStopper(gate.Task)));
        var probe = CreateTestProbe();
        Sys.EventStream.Subscribe(probe.Ref, typeof(DeadLetter));
        actor.Tell("stop-after-gate");
        actor.Tell("lost-1");
        actor.Tell("lost-2");
        gate.SetResult();
        Assert.Equal(new[] { "lost-1", "lost-2" }, probe.ReceiveN(2).Cast<DeadLetter>().Select(d => d.Message));
    }

    private sealed class BlockingStopper : ReceiveActor
    {
        public BlockingStopper(Task gate)
        {
            ReceiveAsync<string>(async _ =>
            {
                await gate;
                Context.Stop(Self);
            }, m => m == "stop-after-gate");
            Receive<string>(_ => { });
        }
    }
}

public sealed class SystemTerminationSpec
{
    [Fact]
    public async Task Terminate_stops_all_actors_children_before_parents_and_completes_WhenTerminated()
    {
        var order = new List<string>();
        var system = ActorSystem.Create("term");
        var parent = system.ActorOf(Props.Create(() => new Recorder(order, "parent", true)), "parent");
        var started = await parent.Ask<string>("ready", TimeSpan.FromSeconds(5));
        Assert.Equal("ready", started);
        await system.Terminate().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(system.WhenTerminated.IsCompletedSuccessfully);
        lock (order) Assert.Equal(new[] { "child", "parent" }, order);
    }

    private sealed class Recorder : ReceiveActor
    {
        private readonly List<string> _order;
        private readonly string _name;

        public Recorder(List<string> order, string name, bool withChild)
        {
            _order = order;
            _name = name;
            IActorRef? child = withChild ? Context.ActorOf(Props.Create(() => new Recorder(order, "child", false)), "child") : null;
            ReceiveAsync<string>(async m => Sender.Tell(child == null ? m : await child.Ask<string>(m, TimeSpan.FromSeconds(5))));
        }

        protected override void PostStop()
        {
            lock (_order) _order.Add(_name);
        }
    }
}
