using CrossMargin.Engine.Reporting;
using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

/// <summary>Issue 5 item 2: waking only the accounts whose band a tick leaves equals re-margining every account on every tick.</summary>
public sealed class BandDifferentialTests
{
    [Theory]
    [InlineData("crash")]
    [InlineData("collateral-depeg")]
    public void Band_wake_ups_should_give_the_same_state_transitions_at_the_same_ticks_as_remargining_everyone(string scenario)
    {
        var banded = SimulationFixtures.Run(SimulationFixtures.Load(scenario, 80, 11), r => r.RecordTransitions = true);
        var everyone = SimulationFixtures.Run(SimulationFixtures.Load(scenario, 80, 11), r =>
        {
            r.RecordTransitions = true;
            r.RemarginEveryAccount = true;
        });

        var a = banded.Runner.LastHost!.Transitions!;
        var b = everyone.Runner.LastHost!.Transitions!;
        Assert.NotEmpty(a);
        Assert.Equal(b, a);
        Assert.Equal(everyone.Report.JournalHash, banded.Report.JournalHash);
    }

    [Theory]
    [InlineData("crash")]
    [InlineData("collateral-depeg")]
    public void Directional_and_symmetric_bands_should_write_the_same_account_and_coordinator_events(string scenario)
    {
        // Bands decide only when an account is re-margined; the queue keeps the severity an account was queued with, so
        // how wide the bands are must not reach the journal. Only the run's first row (its configuration) differs.
        var on = SimulationFixtures.Load(scenario, 300, 7, null, new ConfigOverride("crossmargin.risk.bands.directional", "on"));
        var off = SimulationFixtures.Load(scenario, 300, 7, null, new ConfigOverride("crossmargin.risk.bands.directional", "off"));
        Assert.True(on.Risk.Bands.Directional);
        Assert.False(off.Risk.Bands.Directional);
        Assert.Contains("USDT", on.Risk.Bands.FixedPriceAssets);
        var directional = SimulationFixtures.Run(on);
        var symmetric = SimulationFixtures.Run(off);
        Assert.True(directional.Runner.LastHost!.Remargins < symmetric.Runner.LastHost!.Remargins);

        var a = Rows(directional.Journal);
        var b = Rows(symmetric.Journal);
        Assert.Contains(a, r => r.StartsWith("liquidation-coordinator", StringComparison.Ordinal));
        Assert.Equal(b, a);
    }

    /// <summary>Every row but the run stream's, in journal order, as persistence id, sequence number and payload bytes.</summary>
    private static List<string> Rows(CrossMargin.Persistence.InMemory.InMemoryJournal journal)
    {
        var serializer = CrossMargin.Engine.Domain.EngineSerialization.Create();
        var rows = new List<string>();
        var all = journal.CurrentAllEvents(0).GetAsyncEnumerator();
        while (all.MoveNextAsync().AsTask().GetAwaiter().GetResult())
        {
            var e = all.Current;
            if (e.PersistenceId != "run")
            {
                rows.Add($"{e.PersistenceId}/{e.SequenceNr}/{Convert.ToHexString(serializer.Serialize(e.Event).Payload)}");
            }
        }

        return rows;
    }
}
