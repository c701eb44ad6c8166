using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Risk.States;
using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

/// <summary>
/// Cascade rounds spread between ticks (the load test's live-engine order): capped rounds interleaved with the tick
/// stream still liquidate the same population, conserve money and open interest, assign every loss, and leave no
/// request behind once worked off; queued accounts hold no bands while they wait.
/// </summary>
public sealed class SpreadCascadeTests
{
    private static (EngineHost Host, JournalWriter Writer) Host(string scenarioName, bool spread, int? roundActions)
    {
        var scenario = SimulationFixtures.Load(scenarioName, 300, 5);
        var journal = new InMemoryJournal(EngineSerialization.Create());
        var writer = new JournalWriter(journal, EngineSerialization.Create(), "test");
        var host = new EngineHost(scenario, writer, new SimulationClock(scenario.StartTime), null, roundActions) { QueuedAccountsWaitForRound = spread };
        host.Seed();
        host.RegisterAll();
        return (host, writer);
    }

    [Theory]
    [InlineData("crash", 4)]
    [InlineData("crash", 1)]
    [InlineData("collateral-depeg", 3)]
    public void Spread_rounds_should_conserve_money_and_open_interest_and_work_the_cascade_off(string scenarioName, int roundActions)
    {
        var (host, writer) = Host(scenarioName, spread: true, roundActions);
        var scenario = SimulationFixtures.Load(scenarioName, 300, 5);
        var maxPending = 0;
        var tick = 0;
        foreach (var t in scenario.CreateTickSource().Ticks())
        {
            host.OnTickDeferringCascade(t);
            maxPending = Math.Max(maxPending, host.PendingLiquidations);
            if (++tick % 3 == 0)
            {
                host.RunPendingRound(); // one round every third tick: the cascade lags the ticks
            }
        }

        while (host.RunPendingRound())
        {
        }

        Assert.True(host.Metrics.Liquidations > 0, "the scenario liquidates");
        Assert.True(maxPending > roundActions, $"the queue ({maxPending} at most) outgrew a round ({roundActions}): rounds were really capped");
        Assert.All(Invariants.Check(host), r => Assert.True(r.Passed, $"{r.Name}: {r.Evidence}"));

        Assert.Equal(0, host.PendingLiquidations);
        writer.Complete();
    }

    [Fact]
    public void A_queued_account_should_hold_no_band_until_its_round_and_get_its_bands_back_after_it()
    {
        var (host, _) = Host("crash", spread: true, roundActions: 1);
        var scenario = SimulationFixtures.Load("crash", 300, 5);
        long? queued = null;
        foreach (var t in scenario.CreateTickSource().Ticks())
        {
            host.OnTickDeferringCascade(t);
            queued = host.Accounts().Where(a => a.State >= RiskState.Liquidating && a.HasPositions && a.Id != scenario.MarketMaker.AccountId)
                .Select(a => (long?)a.Id).FirstOrDefault();
            if (queued is not null)
            {
                break;
            }
        }

        Assert.NotNull(queued);
        Assert.All(host.Feeds.Values, f => Assert.False(f.Bands.Contains(queued!.Value), $"{f.Symbol} still wakes queued account {queued}"));
        while (host.RunPendingRound())
        {
        }

        var after = host.Account(queued!.Value);
        if (after.State < RiskState.Liquidating && after.HasPositions)
        {
            Assert.Contains(host.Feeds.Values, f => f.Bands.Contains(queued.Value));
        }
    }

    [Fact]
    public void Without_the_spread_flag_queued_accounts_should_keep_their_bands_as_the_deterministic_run_expects()
    {
        var (host, _) = Host("crash", spread: false, roundActions: null);
        var scenario = SimulationFixtures.Load("crash", 300, 5);
        foreach (var t in scenario.CreateTickSource().Ticks().Take(400))
        {
            host.OnTick(t);
        }

        var banded = host.Accounts().Where(a => a.HasPositions && a.Id != scenario.MarketMaker.AccountId)
            .All(a => host.Feeds.Values.Any(f => f.Bands.Contains(a.Id)));
        Assert.True(banded, "every account with positions keeps a band when the cascade is not spread");
    }
}
