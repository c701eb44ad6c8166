using CrossMargin.Actors;
using CrossMargin.TestKit;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class TimeSpec(ITestOutputHelper output)
    : TestKit(output, new ActorSystemSetup { TimeProvider = new TestScheduler() })
{
    [Fact]
    public void ScheduleTellOnce_fires_only_when_virtual_time_reaches_the_delay()
    {
        Sys.Scheduler.ScheduleTellOnce(TimeSpan.FromSeconds(10), TestActor, "tick", ActorRefs.NoSender);
        Advance(TimeSpan.FromSeconds(9));
        ExpectNoMsg(TimeSpan.Zero);
        Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("tick");
    }

    [Fact]
    public void ScheduleTellRepeatedly_fires_at_each_interval_until_cancelled()
    {
        var c = Sys.Scheduler.ScheduleTellRepeatedlyCancelable(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TestActor, "tick", ActorRefs.NoSender);
        Advance(TimeSpan.FromSeconds(5)); // fires at 1, 3, 5
        Assert.Equal(new object[] { "tick", "tick", "tick" }, ReceiveN(3));
        c.Cancel();
        Assert.True(c.IsCancellationRequested);
        Advance(TimeSpan.FromSeconds(10));
        ExpectNoMsg(TimeSpan.Zero);
    }

    [Fact]
    public void Timers_fire_on_virtual_time_and_cancel_by_key()
    {
        var actor = ActorOf(Props.Create(() => new TimerActor(TestActor)));
        actor.Tell("start", TestActor);
        ExpectMsg("started");
        Advance(TimeSpan.FromSeconds(1));
        ExpectMsg("single");
        Advance(TimeSpan.FromSeconds(2)); // periodic every 1s starting at 1s: fired at 1 (above), 2, 3
        var got = ReceiveN(3);
        Assert.Equal(3, got.Count(m => (string)m == "periodic"));
        actor.Tell("status", TestActor);
        ExpectMsg("single:False periodic:True");
        actor.Tell("cancel", TestActor);
        ExpectMsg("cancelled");
        Advance(TimeSpan.FromSeconds(5));
        ExpectNoMsg(TimeSpan.Zero);
    }

    private sealed class TimerActor : ReceiveActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        public TimerActor(IActorRef probe)
        {
            Receive<string>(m => m == "start", _ =>
            {
                Timers.StartSingleTimer("one", "single", TimeSpan.FromSeconds(1));
                Timers.StartPeriodicTimer("many", "periodic", TimeSpan.FromSeconds(1));
                Sender.Tell("started");
            });
            Receive<string>(m => m == "status", _ => Sender.Tell($"single:{Timers.IsTimerActive("one")} periodic:{Timers.IsTimerActive("many")}"));
            Receive<string>(m => m == "cancel", _ => { Timers.Cancel("many"); Sender.Tell("cancelled"); });
            Receive<string>(m => probe.Tell(m));
        }
    }

    [Fact]
    public void Receive_timeout_fires_after_inactivity_and_is_reset_by_messages()
    {
        var actor = ActorOf(Props.Create(() => new Idle(TestActor)));
        actor.Tell("hello", TestActor);
        ExpectMsg("hello");
        Settled(actor);
        Advance(TimeSpan.FromSeconds(4));
        actor.Tell("again", TestActor);
        ExpectMsg("again");
        Settled(actor);
        Advance(TimeSpan.FromSeconds(4));
        ExpectNoMsg(TimeSpan.Zero); // 4 s since the last message: not yet
        Advance(TimeSpan.FromSeconds(1));
        ExpectMsg<ReceiveTimeout>();
    }

    // The reply to a message is sent before the actor re-arms its receive timeout (after the handler returns), so before
    // moving the clock wait until that turn is over: a Sync is processed after it and does not touch the timeout itself.
    private void Settled(IActorRef actor)
    {
        actor.Tell(Sync.Instance, TestActor);
        ExpectMsg(Sync.Instance);
    }

    private sealed class Sync : INotInfluenceReceiveTimeout
    {
        public static readonly Sync Instance = new();
    }

    private sealed class Idle : ReceiveActor
    {
        public Idle(IActorRef probe, bool once = true)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(5));
            Receive<ReceiveTimeout>(t =>
            {
                probe.Tell(t);
                if (once) Context.SetReceiveTimeout(null);
            });
            Receive<Sync>(s => Sender.Tell(s));
            Receive<string>(m => Sender.Tell(m));
        }
    }

    [Fact]
    public void Receive_timeout_repeats_until_turned_off_and_timer_payloads_reset_it()
    {
        var actor = ActorOf(Props.Create(() => new Idle(TestActor, false)));
        Settled(actor); // constructed, timeout armed at t0 + 5 s
        Advance(TimeSpan.FromSeconds(5));
        ExpectMsg<ReceiveTimeout>();
        Settled(actor); // the first ReceiveTimeout was handled and the timeout re-armed
        Advance(TimeSpan.FromSeconds(5));
        ExpectMsg<ReceiveTimeout>();
        Watch(actor);
        Sys.Stop(actor); // its timeout would keep firing into TestActor below
        ExpectTerminated(actor);
        var timed = ActorOf(Props.Create(() => new TimedIdle(TestActor)));
        Settled(timed); // the periodic 3 s timer's payload resets the 5 s receive timeout every time
        for (var i = 0; i < 4; i++)
        {
            Advance(TimeSpan.FromSeconds(3));
            ExpectMsg("tick");
            Settled(timed);
        }
        ExpectNoMsg(TimeSpan.Zero);
    }

    private sealed class TimedIdle : ReceiveActor, IWithTimers
    {
        public ITimerScheduler Timers { get; set; } = null!;

        public TimedIdle(IActorRef probe)
        {
            Context.SetReceiveTimeout(TimeSpan.FromSeconds(5));
            Receive<ReceiveTimeout>(t => probe.Tell(t));
            Receive<Sync>(s => Sender.Tell(s));
            Receive<string>(m => probe.Tell(m));
        }

        protected override void PreStart() => Timers.StartPeriodicTimer("tick", "tick", TimeSpan.FromSeconds(3));
    }
}
