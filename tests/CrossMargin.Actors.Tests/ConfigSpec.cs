using CrossMargin.Actors;
using CrossMargin.Hocon;
using Xunit.Abstractions;

namespace CrossMargin.Actors.Tests;

using TestKit = CrossMargin.TestKit.TestKit;

public sealed class ConfigSpec
{
    [Fact]
    public void Reference_conf_defaults_equal_the_built_in_defaults()
    {
        var fromHocon = ActorSystemSettingsConfig.FromConfig(ConfigurationFactory.Default());
        var d = ActorSystemSettings.Default;
        Assert.Equal(d.Throughput, fromHocon.Throughput);
        Assert.Equal(d.DispatcherType, fromHocon.DispatcherType);
        Assert.Equal(d.AskTimeout, fromHocon.AskTimeout);
        Assert.Equal(d.BoundedMailboxCapacity, fromHocon.BoundedMailboxCapacity);
        Assert.Equal(d.LogDeadLetters, fromHocon.LogDeadLetters);
        Assert.Equal(d.LogDeadLettersDuringShutdown, fromHocon.LogDeadLettersDuringShutdown);
        Assert.Empty(fromHocon.Dispatchers);
    }

    [Fact]
    public void Create_with_config_reads_the_actor_section_over_reference_conf()
    {
        var config = ConfigurationFactory.ParseString("""
            crossmargin.actor {
              dispatcher = deterministic
              default-dispatcher.throughput = 2
              ask-timeout = 2s
              log-dead-letters = off
              dispatchers { io { throughput = 1 } }
            }
            """);
        var system = ActorSystem.Create("configured", config);
        Assert.True(system.IsDeterministic);
        Assert.Equal(2, system.Settings.Throughput);
        Assert.Equal(TimeSpan.FromSeconds(2), system.Settings.AskTimeout);
        Assert.Equal(0, system.Settings.LogDeadLetters);
        Assert.Equal(1, system.Settings.Dispatchers["io"]);
        Assert.Equal(1000, system.Settings.BoundedMailboxCapacity); // from reference.conf
        system.ActorOf(Props.Create<EchoActor>().WithDispatcher("io"));
        system.Terminate();
    }

    [Fact]
    public void Invalid_values_are_rejected_naming_the_key()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            ActorSystem.Create("bad", ConfigurationFactory.ParseString("crossmargin.actor.default-dispatcher.throughput = 0")));
        Assert.Contains("crossmargin.actor.default-dispatcher.throughput", ex.Message);
        var ex2 = Assert.Throws<ArgumentException>(() =>
            ActorSystem.Create("bad", ConfigurationFactory.ParseString("crossmargin.actor.dispatcher = turbo")));
        Assert.Contains("crossmargin.actor.dispatcher", ex2.Message);
        Assert.ThrowsAny<Exception>(() => ActorSystem.Create("bad", ConfigurationFactory.ParseString("crossmargin.actor.mailbox.bounded-capacity = lots")));
    }

    [Fact]
    public void Unknown_dispatcher_and_mailbox_ids_are_rejected_at_ActorOf()
    {
        using var system = ActorSystem.Create("ids", new ActorSystemSetup { Deterministic = true });
        Assert.Throws<ArgumentException>(() => system.ActorOf(Props.Create<EchoActor>().WithDispatcher("nope")));
        Assert.Throws<ArgumentException>(() => system.ActorOf(Props.Create<EchoActor>().WithMailbox("nope")));
    }
}

public sealed class ConfiguredTestKitSpec(ITestOutputHelper output)
    : TestKit("crossmargin.test.single-expect-default = 250ms\ncrossmargin.actor.dispatcher = deterministic", output)
{
    [Fact]
    public void A_test_kit_built_from_HOCON_uses_its_test_and_actor_sections()
    {
        Assert.True(Sys.IsDeterministic);
        Assert.Equal(TimeSpan.FromMilliseconds(250), TestKitSettings.SingleExpectDefault);
        var echo = ActorOf(Props.Create<EchoActor>());
        echo.Tell("hi", TestActor);
        ExpectMsg("hi");
    }
}
