using CrossMargin.Actors;

namespace CrossMargin.TestKit.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class ImplicitSenderSpec : TestKit
{
    private sealed class Echo : ReceiveActor
    {
        public Echo() => ReceiveAny(m => Sender.Tell(m));
    }

    private sealed class Relay : ReceiveActor
    {
        public Relay(IActorRef target, IActorRef probe)
        {
            Receive<string>(s => s == "go", _ => target.Tell("ping"));
            Receive<string>(s => s == "ping", s => probe.Tell("relay got " + s + " back"));
        }
    }

    [Fact]
    public void A_plain_Tell_from_test_code_should_carry_TestActor_as_sender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()), "echo");
        echo.Tell("hello");
        ExpectMsg<string>(s => Assert.Equal("hello", s));
    }

    [Fact]
    public async Task A_plain_Tell_after_an_await_should_still_carry_TestActor_as_sender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()), "echo");
        await Task.Yield();
        echo.Tell("after await");
        ExpectMsg<string>(s => Assert.Equal("after await", s));
    }

    [Fact]
    public void A_plain_Tell_inside_an_actor_should_carry_Self_as_sender()
    {
        var echo = Sys.ActorOf(Props.Create(() => new Echo()), "echo");
        var probe = CreateTestProbe();
        var relay = Sys.ActorOf(Props.Create(() => new Relay(echo, probe.Ref)), "relay");
        relay.Tell("go");
        probe.ExpectMsg<string>(s => Assert.Equal("relay got ping back", s));
    }
}
