using CrossMargin.Actors;
using CrossMargin.TestKit;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class AskSpec(ITestOutputHelper output)
    : TestKit(output, new ActorSystemSetup { TimeProvider = new TestScheduler() })
{
    [Fact]
    public async Task Ask_completes_with_the_typed_reply()
    {
        var echo = ActorOf(Props.Create<EchoActor>());
        Assert.Equal("hi", await echo.Ask<string>("hi", TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Ask_times_out_with_AskTimeoutException_naming_the_target()
    {
        var silent = ActorOf(Props.Create<Silent>(), "silent");
        var task = silent.Ask<string>("anyone?", TimeSpan.FromSeconds(5));
        await AwaitReceived(silent);
        Advance(TimeSpan.FromSeconds(5));
        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => task);
        Assert.Contains("cm://test/user/silent", ex.Message);
    }

    // waits (without time) until the target has processed something, so the Ask is registered before advancing the clock
    private static async Task AwaitReceived(IActorRef target) => await target.Ask<int>(Silent.Count, TimeSpan.FromMinutes(10));

    private sealed class Silent : ReceiveActor
    {
        public static readonly object Count = new();
        private int _n;

        public Silent()
        {
            Receive<object>(m => ReferenceEquals(m, Count), _ => Sender.Tell(_n));
            ReceiveAny(_ => _n++);
        }
    }

    [Fact]
    public async Task A_Status_Failure_reply_faults_the_Ask_with_its_cause()
    {
        var actor = ActorOf(Props.Create<FailureReplier>());
        var ex = await Assert.ThrowsAsync<InvalidOperationException>(() => actor.Ask<string>("x", TimeSpan.FromSeconds(5)));
        Assert.Equal("no way", ex.Message);
    }

    private sealed class FailureReplier : ReceiveActor
    {
        public FailureReplier() => ReceiveAny(_ => Sender.Tell(new Status.Failure(new InvalidOperationException("no way"))));
    }

    [Fact]
    public async Task An_exception_inside_the_target_does_not_fault_the_Ask_it_times_out()
    {
        var actor = ActorOf(Props.Create(() => new Thrower(null)));
        Task<object>? task = null;
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => task = actor.Ask(new InvalidOperationException("inside"), TimeSpan.FromSeconds(3)));
        Assert.False(task!.IsCompleted);
        Advance(TimeSpan.FromSeconds(3));
        await Assert.ThrowsAsync<AskTimeoutException>(() => task);
    }

    [Fact]
    public async Task A_reply_of_the_wrong_type_faults_the_Ask_with_ArgumentException()
    {
        var echo = ActorOf(Props.Create<EchoActor>());
        await Assert.ThrowsAsync<ArgumentException>(() => echo.Ask<string>(42, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task An_Ask_whose_target_stops_before_processing_it_fails_without_waiting_for_a_timeout()
    {
        var actor = ActorOf(Props.Create<StopsOnFirst>(), "stopping");
        actor.Tell("stop");
        var task = actor.Ask<string>("question", Timeout.InfiniteTimeSpan); // queued behind "stop": becomes a dead letter
        // The real-time guard only turns a regression (a hang) into a failure; it is not a synchronisation.
        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => task.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("cm://test/user/stopping", ex.Message);
    }

    private sealed class StopsOnFirst : ReceiveActor
    {
        public StopsOnFirst() => ReceiveAny(_ => Context.Stop(Self));
    }

    [Fact]
    public void Telling_null_throws_ArgumentNullException()
    {
        var echo = ActorOf(Props.Create<EchoActor>());
        Assert.Throws<ArgumentNullException>(() => echo.Tell(null!, TestActor));
    }

    [Fact]
    public async Task Ask_to_a_dead_actor_fails_at_once_naming_it()
    {
        var actor = ActorOf(Props.Create<EchoActor>(), "dead");
        Watch(actor);
        Sys.Stop(actor);
        ExpectTerminated(actor);
        var ex = await Assert.ThrowsAsync<AskTimeoutException>(() => actor.Ask<string>("x", TimeSpan.FromSeconds(5)));
        Assert.Contains("cm://test/user/dead", ex.Message);
    }
}

public sealed class StashSpec(ITestOutputHelper output) : TestKit(output)
{
    [Fact]
    public void UnstashAll_puts_stashed_messages_at_the_front_of_the_mailbox_in_order()
    {
        var actor = ActorOf(Props.Create(() => new Gate(TestActor)));
        actor.Tell("a");
        actor.Tell("b");
        actor.Tell("c");
        actor.Tell("open");
        actor.Tell("d");
        Assert.Equal(new object[] { "opened", "a", "b", "c", "d" }, ReceiveN(5));
    }

    private sealed class Gate : ReceiveActor, IWithStash
    {
        public IStash Stash { get; set; } = null!;

        public Gate(IActorRef probe)
        {
            Receive<string>(m => m == "open", _ =>
            {
                probe.Tell("opened");
                Become(() => Receive<string>(m => probe.Tell(m)));
                Stash.UnstashAll();
            });
            Receive<string>(_ => Stash.Stash());
        }
    }

    [Fact]
    public void Stashing_the_same_message_twice_fails()
    {
        var actor = ActorOf(Props.Create<DoubleStasher>());
        actor.Tell("x", TestActor);
        ExpectMsg<IllegalStateException>(e => Assert.Contains("more than once", e.Message));
    }

    private sealed class DoubleStasher : ReceiveActor, IWithStash
    {
        public IStash Stash { get; set; } = null!;

        public DoubleStasher() => ReceiveAny(_ =>
        {
            Stash.Stash();
            try
            {
                Stash.Stash();
            }
            catch (IllegalStateException e)
            {
                Sender.Tell(e);
            }
        });
    }

    [Fact]
    public void Stashed_messages_survive_a_restart()
    {
        var actor = ActorOf(Props.Create(() => new StashThenFail(TestActor)));
        actor.Tell("keep-1");
        actor.Tell("keep-2");
        EventFilter.Exception<InvalidOperationException>().ExpectOne(() => actor.Tell("fail"));
        actor.Tell("open");
        Assert.Equal(new object[] { "keep-1", "keep-2" }, ReceiveN(2));
    }

    private sealed class StashThenFail : ReceiveActor, IWithStash
    {
        public IStash Stash { get; set; } = null!;

        public StashThenFail(IActorRef probe)
        {
            // After a restart the unstashed messages come first, so the new instance stashes them again until "open".
            Receive<string>(m => m == "fail", _ => throw new InvalidOperationException("fail"));
            Receive<string>(m => m == "open", _ =>
            {
                Become(() => Receive<string>(m => probe.Tell(m)));
                Stash.UnstashAll();
            });
            Receive<string>(_ => Stash.Stash());
        }
    }
}

public sealed class EventStreamSpec(ITestOutputHelper output) : TestKit(output)
{
    private record Animal(string Name);

    private sealed record Dog(string Name) : Animal(Name);

    private sealed record Cat(string Name) : Animal(Name);

    [Fact]
    public void Subscribers_to_a_base_type_receive_its_subtypes_and_unsubscribe_stops_delivery()
    {
        var animals = CreateTestProbe();
        var dogs = CreateTestProbe();
        Assert.True(Sys.EventStream.Subscribe(animals.Ref, typeof(Animal)));
        Assert.False(Sys.EventStream.Subscribe(animals.Ref, typeof(Animal)));
        Sys.EventStream.Subscribe(dogs.Ref, typeof(Dog));
        Sys.EventStream.Publish(new Dog("rex"));
        Sys.EventStream.Publish(new Cat("tom"));
        animals.ExpectMsg(new Dog("rex"));
        animals.ExpectMsg(new Cat("tom"));
        dogs.ExpectMsg(new Dog("rex"));
        dogs.ExpectNoMsg(TimeSpan.Zero);
        Assert.True(Sys.EventStream.Unsubscribe(animals.Ref, typeof(Animal)));
        Sys.EventStream.Publish(new Dog("fido"));
        dogs.ExpectMsg(new Dog("fido"));
        animals.ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Interface_channels_match_implementing_events()
    {
        Sys.EventStream.Subscribe(TestActor, typeof(IComparable));
        Sys.EventStream.Publish(7);
        ExpectMsg(7);
    }

    [Fact]
    public void Terminated_subscribers_are_removed_without_dead_letter_loops()
    {
        var subscriber = ActorOf(Props.Create<EchoActor>());
        Watch(subscriber);
        Sys.EventStream.Subscribe(subscriber, typeof(DeadLetter));
        Sys.Stop(subscriber);
        ExpectTerminated(subscriber);
        Sys.EventStream.Subscribe(TestActor, typeof(DeadLetter));
        subscriber.Tell("lost");
        Assert.Equal("lost", ExpectMsg<DeadLetter>().Message);
        ExpectNoMsg(TimeSpan.FromMilliseconds(50));
    }
}
