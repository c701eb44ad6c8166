using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Simulation;
using CrossMargin.Engine.Tests.Simulation;
using CrossMargin.Persistence.InMemory;
using Xunit;

namespace CrossMargin.Engine.Tests.Bands;

/// <summary>The first classification in cancellable slices (the load test's setup) registers what the one-call form does.</summary>
public sealed class RegisterAllTests
{
    [Fact]
    public void Registering_in_slices_should_give_the_same_events_and_bands_as_one_call()
    {
        var (whole, wholeJournal) = Seeded();
        var (sliced, slicedJournal) = Seeded();
        whole.RegisterAll();
        Assert.True(sliced.RegisterAll(CancellationToken.None, slice: 7));
        Assert.Equal(wholeJournal.CurrentHash(), slicedJournal.CurrentHash());
        Assert.Equal(wholeJournal.Events, slicedJournal.Events);
        foreach (var (symbol, feed) in whole.Feeds)
        {
            var other = sliced.Feeds[symbol];
            Assert.Equal(feed.Bands.Count, other.Bands.Count);
            foreach (var id in whole.AccountIds)
            {
                Assert.Equal(feed.Bands.TryGetBand(id, out var a), other.Bands.TryGetBand(id, out var b));
                Assert.Equal(a, b);
                Assert.Equal(feed.AssetBands.TryGetBand(id, out var c), other.AssetBands.TryGetBand(id, out var d));
                Assert.Equal(c, d);
            }
        }

        Assert.Contains(whole.Feeds.Values, f => f.Bands.Count > 0);
    }

    [Fact]
    public void A_cancelled_registration_should_stop_before_the_next_slice()
    {
        var (host, _) = Seeded();
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.False(host.RegisterAll(cts.Token, slice: 7));
        Assert.All(host.Feeds.Values, f => Assert.Equal(0, f.Bands.Count));
    }

    private static (EngineHost Host, JournalWriter Writer) Seeded()
    {
        var scenario = SimulationFixtures.Load("crash", 60, 5);
        var serializer = EngineSerialization.Create();
        var writer = new JournalWriter(new InMemoryJournal(serializer), serializer, "test");
        var host = new EngineHost(scenario, writer, new SimulationClock(scenario.StartTime));
        host.Seed();
        return (host, writer);
    }
}
