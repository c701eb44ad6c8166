using CrossMargin.Actors;
using CrossMargin.TestKit;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class SupervisionSpec(ITestOutputHelper output)
    : TestKit(output, new ActorSystemSetup { TimeProvider = new TestScheduler() })
{
    private IActorRef ChildOf(SupervisorStrategy strategy, Props child, string name = "child")
    {
        var parent = ActorOf(Props.Create(() => new Supervisor(strategy)));
        parent.Tell((child, name), TestActor);
        return ExpectMsg<IActorRef>();
    }

    [Fact]
    public void Default_decider_maps_exceptions_like_Akka()
    {
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorInitializationException(null, "x")));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new ActorKilledException("x")));
        Assert.Equal(Directive.Stop, SupervisorStrategy.DefaultDecider(new DeathPactException(ActorRefs.Nobody)));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new InvalidOperationException()));
        Assert.Equal(Directive.Restart, SupervisorStrategy.DefaultDecider(new ArgumentException()));
    }

    [Fact]
    public void Resume_keeps_the_instance_and_its_state()
    {
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Resume), Props.Create(() => new Thrower(null)));
        child.Tell("a");
        child.Tell("b");
        EventFilter.Warning().ExpectOne(() => child.Tell(new InvalidOperationException("oops")));
        child.Tell("count", TestActor);
        ExpectMsg(2);
    }

    [Fact]
    public void Restart_creates_a_new_instance_drops_only_the_failing_message_and_keeps_the_mailbox()
    {
        var probe = CreateTestProbe();
        var child = ChildOf(SupervisorStrategy.DefaultStrategy, LifecycleActor.Props(probe.Ref));
        probe.ExpectMsg("ctor#1");
        probe.ExpectMsg("PreStart#1");
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() =>
        {
            child.Tell("a");
            child.Tell("boom");
            child.Tell("b");
            child.Tell("c");
        });
        probe.ExpectMsg("got a#1");
        probe.ExpectMsg("PreRestart#1(boom)");
        probe.ExpectMsg("PostStop#1");
        probe.ExpectMsg("ctor#2");
        probe.ExpectMsg("PostRestart#2");
        probe.ExpectMsg("PreStart#2");
        probe.ExpectMsg("got b#2");
        probe.ExpectMsg("got c#2");
        child.Tell("state", TestActor);
        ExpectMsg(2); // state was reset by the restart: only b and c counted
    }

    [Fact]
    public void Hooks_run_in_Akka_order_across_start_restart_and_stop()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(LifecycleActor.Props(probe.Ref), "hooks");
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => actor.Tell("boom"));
        // The failure is logged before the supervisor sends Recreate, so wait for the restart to finish before stopping;
        // otherwise a Stop racing the Recreate legitimately ends the actor without a second incarnation.
        var restart = new[] { "ctor#1", "PreStart#1", "PreRestart#1(boom)", "PostStop#1", "ctor#2", "PostRestart#2", "PreStart#2" };
        Assert.Equal(restart, probe.ReceiveN(restart.Length));
        Sys.Stop(actor);
        probe.ExpectMsg("PostStop#2");
    }

    [Fact]
    public void Stop_directive_stops_the_child()
    {
        var child = ChildOf(new OneForOneStrategy(_ => Directive.Stop), Props.Create(() => new Thrower(null)));
        Watch(child);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => child.Tell(new InvalidOperationException("stop me")));
        ExpectTerminated(child);
    }

    [Fact]
    public void Escalate_fails_the_parent_which_is_then_handled_by_its_own_supervisor()
    {
        var probe = CreateTestProbe();
        // top (restarts) -> middle (escalates) -> leaf
        var top = ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Restart))), "top");
        top.Tell((Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Escalate))), "middle"), TestActor);
        var middle = ExpectMsg<IActorRef>();
        middle.Tell((LifecycleActor.Props(probe.Ref), "leaf"), TestActor);
        var leaf = ExpectMsg<IActorRef>();
        probe.ExpectMsg("ctor#1");
        probe.ExpectMsg("PreStart#1");
        Watch(leaf);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => leaf.Tell("boom"));
        // middle restarts; its default PreRestart stops the leaf
        ExpectTerminated(leaf);
        probe.ExpectMsg("PostStop#1");
    }

    [Fact]
    public void Resuming_a_parent_after_an_escalation_also_resumes_the_child_that_failed()
    {
        var top = ActorOf(Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Resume))), "top");
        top.Tell((Props.Create(() => new Supervisor(new OneForOneStrategy(_ => Directive.Escalate))), "middle"), TestActor);
        var middle = ExpectMsg<IActorRef>();
        middle.Tell((Props.Create(() => new Thrower(null)), "leaf"), TestActor);
        var leaf = ExpectMsg<IActorRef>();
        leaf.Tell("a");
        EventFilter.Warning().ExpectOne(() => leaf.Tell(new InvalidOperationException("x"))); // top resumes middle
        leaf.Tell("count", TestActor);
        ExpectMsg(1); // the leaf kept its state and serves messages again
    }

    [Fact]
    public void AllForOne_restarts_every_sibling()
    {
        var p1 = CreateTestProbe();
        var p2 = CreateTestProbe();
        var parent = ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(SupervisorStrategy.DefaultDecider))));
        parent.Tell((LifecycleActor.Props(p1.Ref), "one"), TestActor);
        var one = ExpectMsg<IActorRef>();
        parent.Tell((LifecycleActor.Props(p2.Ref), "two"), TestActor);
        ExpectMsg<IActorRef>();
        p1.ExpectMsg("ctor#1");
        p2.ExpectMsg("ctor#1");
        p2.ExpectMsg("PreStart#1");
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => one.Tell("boom"));
        p2.ExpectMsg("PreRestart#1()");
        p2.ExpectMsg("PostStop#1");
        p2.ExpectMsg("ctor#2");
        p2.ExpectMsg("PostRestart#2");
    }

    [Fact]
    public void AllForOne_applies_the_retry_limit_to_the_group_not_only_to_the_failing_child()
    {
        var parent = ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(2, null, _ => Directive.Restart))));
        parent.Tell((Props.Create(() => new Thrower(null)), "a"), TestActor);
        var a = ExpectMsg<IActorRef>();
        parent.Tell((Props.Create(() => new Thrower(null)), "b"), TestActor);
        var b = ExpectMsg<IActorRef>();
        Watch(a);
        Watch(b);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => a.Tell(new InvalidOperationException("1")));
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => b.Tell(new InvalidOperationException("2")));
        // third group restart: a itself failed only twice, but the group has used its two restarts
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => a.Tell(new InvalidOperationException("3")));
        var stopped = ReceiveN(2).Cast<Terminated>().Select(t => t.ActorRef).ToHashSet();
        Assert.Equal(new HashSet<IActorRef> { a, b }, stopped);
    }

    [Fact]
    public void A_sibling_restarted_while_awaiting_an_async_handler_serves_new_messages()
    {
        var never = new TaskCompletionSource();
        var parent = ActorOf(Props.Create(() => new Supervisor(new AllForOneStrategy(SupervisorStrategy.DefaultDecider))));
        parent.Tell((Props.Create(() => new Thrower(null)), "failing"), TestActor);
        var failing = ExpectMsg<IActorRef>();
        parent.Tell((Props.Create(() => new Waiter(never.Task)), "waiting"), TestActor);
        var waiting = ExpectMsg<IActorRef>();
        waiting.Tell("wait", TestActor);
        ExpectMsg("waiting");
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => failing.Tell(new InvalidOperationException("x")));
        waiting.Tell("ping", TestActor);
        ExpectMsg("pong"); // the new instance is not blocked by the abandoned await
    }

    private sealed class Waiter : ReceiveActor
    {
        public Waiter(Task never)
        {
            ReceiveAsync<string>(async _ =>
            {
                Sender.Tell("waiting");
                await never;
            }, m => m == "wait");
            Receive<string>(m => m == "ping", _ => Sender.Tell("pong"));
        }
    }

    [Fact]
    public void Retry_limit_within_window_stops_the_child_and_the_window_resets_on_virtual_time()
    {
        var child = ChildOf(new OneForOneStrategy(2, TimeSpan.FromMinutes(1), _ => Directive.Restart), Props.Create(() => new Thrower(null)));
        Watch(child);
        EventFilter.Exception<InvalidOperationException>().Expect(2, () =>
        {
            child.Tell(new InvalidOperationException("1"));
            child.Tell(new InvalidOperationException("2"));
        });
        // a restart proves the child is still alive after two failures
        child.Tell("count", TestActor);
        ExpectMsg(0);
        Advance(TimeSpan.FromMinutes(2)); // window expires: the count starts again
        EventFilter.Exception<InvalidOperationException>().Expect(2, () =>
        {
            child.Tell(new InvalidOperationException("3"));
            child.Tell(new InvalidOperationException("4"));
        });
        child.Tell("count", TestActor);
        ExpectMsg(0);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => child.Tell(new InvalidOperationException("5")));
        ExpectTerminated(child); // third failure inside one window
    }

    [Fact]
    public void Zero_retries_means_the_child_is_stopped_at_the_first_failure()
    {
        var child = ChildOf(new OneForOneStrategy(0, null, _ => Directive.Restart), Props.Create(() => new Thrower(null)));
        Watch(child);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => child.Tell(new InvalidOperationException("x")));
        ExpectTerminated(child);
    }

    [Fact]
    public void Retry_limit_without_window_counts_over_the_whole_life()
    {
        var child = ChildOf(new OneForOneStrategy(1, null, _ => Directive.Restart), Props.Create(() => new Thrower(null)));
        Watch(child);
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => child.Tell(new InvalidOperationException("1")));
        Advance(TimeSpan.FromDays(1));
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => child.Tell(new InvalidOperationException("2")));
        ExpectTerminated(child);
    }

    [Fact]
    public void A_throwing_constructor_gives_ActorInitializationException_stops_the_actor_and_spares_the_system()
    {
        IActorRef? actor = null;
        EventFilter.Exception<ActorInitializationException>().ExpectOne(() =>
        {
            actor = ActorOf(Props.Create<ThrowsInCtor>(), "bad");
            Watch(actor);
        });
        ExpectTerminated(actor!);
        var echo = ActorOf(Props.Create<EchoActor>());
        echo.Tell("still alive", TestActor);
        ExpectMsg("still alive");
    }

    private sealed class ThrowsInCtor : ReceiveActor
    {
        public ThrowsInCtor() => throw new InvalidOperationException("cannot construct");
    }

    [Fact]
    public void A_ReceiveAsync_handler_throwing_before_its_first_await_reaches_the_decider_unwrapped()
    {
        Exception? seen = null;
        var child = ChildOf(new OneForOneStrategy(ex =>
        {
            seen = ex;
            return Directive.Resume;
        }), Props.Create<SyncThrowingAsync>());
        EventFilter.Warning().ExpectOne(() => child.Tell("go"));
        Assert.IsType<ArgumentException>(seen);
    }

    private sealed class SyncThrowingAsync : ReceiveActor
    {
        public SyncThrowingAsync() => ReceiveAsync<string>(m => throw new ArgumentException(m));
    }

    [Fact]
    public void Kill_stops_the_actor_with_ActorKilledException()
    {
        var actor = ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        EventFilter.Exception<ActorKilledException>().ExpectOne(() => actor.Tell(Kill.Instance));
        ExpectTerminated(actor);
    }

    [Fact]
    public void PoisonPill_stops_the_actor_after_the_messages_queued_before_it()
    {
        var actor = ActorOf(Props.Create<EchoActor>());
        Watch(actor);
        actor.Tell(1, TestActor);
        actor.Tell(2, TestActor);
        actor.Tell(PoisonPill.Instance, TestActor);
        ExpectMsg(1);
        ExpectMsg(2);
        ExpectTerminated(actor);
    }

    [Fact]
    public void Supervisor_sees_the_failed_child_as_Sender_inside_the_decider()
    {
        IActorRef? seen = null;
        var parent = ActorOf(Props.Create(() => new SenderCapturingSupervisor(s => seen = s)));
        parent.Tell(Props.Create(() => new Thrower(null)), TestActor);
        var c2 = ExpectMsg<IActorRef>();
        EventFilter.Warning().ExpectOne(() => c2.Tell(new InvalidOperationException("x")));
        Assert.Equal(c2, seen);
    }

    private sealed class SenderCapturingSupervisor : ReceiveActor
    {
        private readonly Action<IActorRef> _capture;

        public SenderCapturingSupervisor(Action<IActorRef> capture)
        {
            _capture = capture;
            Receive<Props>(p => Sender.Tell(Context.ActorOf(p)));
        }

        protected override SupervisorStrategy SupervisorStrategy() => new OneForOneStrategy(_ =>
        {
            _capture(Sender);
            return Directive.Resume;
        });
    }
}
