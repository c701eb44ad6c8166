using CrossMargin.Actors;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class ActorBasicsSpec(ITestOutputHelper output) : TestKit(output)
{
    private sealed record Tagged(int Sender, int Seq);

    [Fact]
    public void Messages_from_each_sender_arrive_in_the_order_they_were_sent()
    {
        var target = ActorOf(Props.Create(() => new ForwardingActor(TestActor)), "target");
        const int perSender = 500;
        var threads = Enumerable.Range(0, 4).Select(s => new Thread(() =>
        {
            for (var i = 0; i < perSender; i++) target.Tell(new Tagged(s, i));
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        var got = ReceiveN(4 * perSender).Cast<Tagged>().ToList();
        foreach (var group in got.GroupBy(t => t.Sender))
            Assert.Equal(Enumerable.Range(0, perSender), group.Select(t => t.Seq));
    }

    [Fact]
    public void Tell_carries_the_sender_and_Forward_keeps_the_original_sender()
    {
        var echo = ActorOf(Props.Create<EchoActor>(), "echo");
        var forwarder = ActorOf(Props.Create(() => new ForwardingActor(echo)), "fwd");
        forwarder.Tell("hello", TestActor);
        ExpectMsg("hello");
        Assert.Equal(echo, LastSender);
    }

    [Fact]
    public void Sender_is_dead_letters_when_no_sender_is_given()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new SenderReporter(probe.Ref)));
        actor.Tell("x", ActorRefs.NoSender);
        Assert.Equal(Sys.DeadLetters, probe.ExpectMsg<IActorRef>());
    }

    private sealed class SenderReporter : ReceiveActor
    {
        public SenderReporter(IActorRef probe) => ReceiveAny(_ => probe.Tell(Sender));
    }

    [Fact]
    public void Actor_paths_follow_the_hierarchy_and_names_must_be_unique()
    {
        var parent = ActorOf(Props.Create(() => new Supervisor(SupervisorStrategy.DefaultStrategy)), "parent");
        parent.Tell((Props.Create<EchoActor>(), "kid"), TestActor);
        var kid = ExpectMsg<IActorRef>();
        Assert.Equal("cm://test/user/parent/kid", kid.Path.ToString());
        Assert.Equal("kid", kid.Path.Name);
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<EchoActor>(), "parent"));
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<EchoActor>(), "$bad"));
        Assert.Throws<InvalidActorNameException>(() => ActorOf(Props.Create<EchoActor>(), ""));
    }

    [Fact]
    public void Receive_handlers_match_in_registration_order_with_predicates()
    {
        var actor = ActorOf(Props.Create<Matcher>());
        actor.Tell(5, TestActor);
        actor.Tell(50, TestActor);
        actor.Tell("s", TestActor);
        ExpectMsg("small 5");
        ExpectMsg("int 50");
        ExpectMsg("any s");
    }

    private sealed class Matcher : ReceiveActor
    {
        public Matcher()
        {
            Receive<int>(i => i < 10, i => Sender.Tell($"small {i}"));
            Receive<int>(i => Sender.Tell($"int {i}"));
            ReceiveAny(m => Sender.Tell($"any {m}"));
        }
    }

    [Fact]
    public void Registering_a_handler_after_ReceiveAny_fails_the_actor_construction()
    {
        var probe = CreateTestProbe();
        EventFilter.Exception<ActorInitializationException>().ExpectOne(() =>
        {
            var actor = ActorOf(Props.Create<BadOrder>());
            probe.Watch(actor);
        });
        probe.ExpectMsg<Terminated>();
    }

    private sealed class BadOrder : ReceiveActor
    {
        public BadOrder()
        {
            ReceiveAny(_ => { });
            Receive<int>(_ => { });
        }
    }

    [Fact]
    public void Unhandled_messages_are_published_as_UnhandledMessage()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = ActorOf(Props.Create<OnlyInts>(), "ints");
        actor.Tell("not an int", TestActor);
        var u = ExpectMsg<UnhandledMessage>();
        Assert.Equal("not an int", u.Message);
        Assert.Equal(actor, u.Recipient);
        Assert.Equal(TestActor, u.Sender);
    }

    private sealed class OnlyInts : ReceiveActor
    {
        public OnlyInts() => Receive<int>(_ => { });
    }

    [Fact]
    public void Untyped_actors_receive_through_OnReceive_and_report_unhandled()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(UnhandledMessage));
        var actor = ActorOf(Props.Create<Untyped>());
        actor.Tell("hi", TestActor);
        ExpectMsg("HI");
        actor.Tell(42, TestActor);
        Assert.Equal(42, ExpectMsg<UnhandledMessage>().Message);
    }

    private sealed class Untyped : UntypedActor
    {
        protected override void OnReceive(object message)
        {
            if (message is string s) Sender.Tell(s.ToUpperInvariant());
            else Unhandled(message);
        }
    }

    [Fact]
    public void Become_replaces_and_BecomeStacked_pushes_behaviours()
    {
        var actor = ActorOf(Props.Create<Switcher>());
        actor.Tell("who", TestActor);
        ExpectMsg("A");
        actor.Tell("to-b", TestActor);
        actor.Tell("who", TestActor);
        ExpectMsg("B");
        actor.Tell("push-c", TestActor);
        actor.Tell("who", TestActor);
        ExpectMsg("C");
        actor.Tell("pop", TestActor);
        actor.Tell("who", TestActor);
        ExpectMsg("B");
    }

    private sealed class Switcher : ReceiveActor
    {
        public Switcher() => A();

        private void A()
        {
            Receive<string>(m => m == "who", _ => Sender.Tell("A"));
            Receive<string>(m => m == "to-b", _ => Become(B));
        }

        private void B()
        {
            Receive<string>(m => m == "who", _ => Sender.Tell("B"));
            Receive<string>(m => m == "push-c", _ => BecomeStacked(C));
        }

        private void C()
        {
            Receive<string>(m => m == "who", _ => Sender.Tell("C"));
            Receive<string>(m => m == "pop", _ => UnbecomeStacked());
        }
    }

    [Fact]
    public void ReceiveAsync_suspends_the_mailbox_until_the_task_completes()
    {
        // Deterministic loop: when RunUntilIdle returns, every message that could run has run. So if the mailbox were not
        // suspended, "fast" would already be in the trace before the gate opens. No waiting on time.
        var trace = new List<string>();
        var gate = new TaskCompletionSource(); // no async continuations: the await resumes through the actor's scheduler
        var system = ActorSystem.Create("async", new ActorSystemSetup { Deterministic = true });
        var actor = system.ActorOf(Props.Create(() => new AsyncActor(gate.Task, trace)));
        actor.Tell("slow", ActorRefs.NoSender);
        actor.Tell("fast", ActorRefs.NoSender);
        system.RunUntilIdle();
        Assert.Equal(new[] { "started slow" }, trace);
        gate.SetResult();
        system.RunUntilIdle();
        Assert.Equal(new[] { "started slow", "finished slow", "fast" }, trace);
        system.Terminate();
    }

    [Fact]
    public void ReceiveAsync_on_the_thread_pool_finishes_the_awaiting_handler_before_the_next_message()
    {
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var actor = ActorOf(Props.Create(() => new AsyncActor(gate.Task, null)));
        actor.Tell("slow", TestActor);
        actor.Tell("fast", TestActor);
        ExpectMsg("started slow");
        gate.SetResult();
        ExpectMsg("finished slow");
        ExpectMsg("fast");
    }

    private sealed class AsyncActor : ReceiveActor
    {
        public AsyncActor(Task gate, List<string>? trace)
        {
            ReceiveAsync<string>(async m =>
            {
                Report("started " + m);
                await gate;
                Report("finished " + m); // Sender is restored after the await
            }, m => m == "slow");
            Receive<string>(Report);

            void Report(string text)
            {
                if (trace != null) trace.Add(text); // deterministic system: one thread
                else Sender.Tell(text);
            }
        }
    }

    [Fact]
    public void A_faulted_ReceiveAsync_task_fails_the_actor_like_a_throw()
    {
        var probe = CreateTestProbe();
        var actor = ActorOf(Props.Create(() => new FailingAsync(probe.Ref)));
        EventFilter.Exception<InvalidOperationException>("async boom").ExpectOne(() => actor.Tell("go"));
        probe.ExpectMsg("ctor");
        probe.ExpectMsg("ctor"); // restarted by the default strategy
    }

    private sealed class FailingAsync : ReceiveActor
    {
        public FailingAsync(IActorRef probe)
        {
            probe.Tell("ctor");
            ReceiveAsync<string>(async _ =>
            {
                await Task.Yield();
                throw new InvalidOperationException("async boom");
            });
        }
    }

    [Fact]
    public void Context_GetLogger_tags_events_with_the_actor_path()
    {
        var actor = ActorOf(Props.Create<Logging>(), "logger");
        EventFilter.Custom(e => e.Properties.TryGetValue("ActorPath", out var p) && p.ToString() == "\"cm://test/user/logger\""
                                && e.MessageTemplate.Text == "hello {Who}")
            .ExpectOne(() => actor.Tell("world"));
    }

    private sealed class Logging : ReceiveActor
    {
        public Logging()
        {
            var log = Context.GetLogger();
            Receive<string>(m => log.Info("hello {Who}", m));
        }
    }

    [Fact]
    public void Actors_cannot_be_created_with_new()
    {
        Assert.Throws<ActorInitializationException>(() => new EchoActor());
    }
}
