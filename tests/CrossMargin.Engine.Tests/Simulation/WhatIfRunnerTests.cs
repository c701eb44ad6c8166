using System.Security.Cryptography;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;
using Xunit;

namespace CrossMargin.Engine.Tests.Simulation;

public sealed class WhatIfRunnerTests : IDisposable
{
    /// <summary>BTC-PERP's brackets from reference.conf with every maintenance rate doubled (max leverage lowered to stay valid).</summary>
    private const string DoubledBtcBrackets =
        "[{notional-cap = 50000, maintenance-rate = 0.008, max-leverage = 125}, {notional-cap = 250000, maintenance-rate = 0.01, max-leverage = 100}, " +
        "{notional-cap = 1000000, maintenance-rate = 0.02, max-leverage = 50}, {notional-cap = 10000000, maintenance-rate = 0.05, max-leverage = 20}, " +
        "{notional-cap = 20000000, maintenance-rate = 0.1, max-leverage = 10}, {notional-cap = 50000000, maintenance-rate = 0.2, max-leverage = 5}, " +
        "{notional-cap = 100000000, maintenance-rate = 0.25, max-leverage = 4}, {notional-cap = 200000000, maintenance-rate = 0.3, max-leverage = 3}, " +
        "{notional-cap = 300000000, maintenance-rate = 0.5, max-leverage = 2}, {notional-cap = 2000000000, maintenance-rate = 0.9, max-leverage = 1}]";

    private readonly string _dir = Directory.CreateTempSubdirectory("cm-whatif-").FullName;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_dir, recursive: true);
    }

    private async Task<(JournalTarget Journal, SimulationReport Report)> RecordAsync()
    {
        var target = new JournalTarget(JournalKind.Sqlite, Path.Combine(_dir, "run.db"));
        var report = await new SimulationRunner(ConfigurationFactory.Default()).RunAsync(SimulationFixtures.Load("crash", 60, 3), target, "t", null, CancellationToken.None);
        Assert.True(report.InvariantsHeld);
        return (target, report);
    }

    private JournalTarget Into(string name) => new(JournalKind.Sqlite, Path.Combine(_dir, name + ".db"));

    private static WhatIfRequest Request(JournalTarget source, JournalTarget into, params ConfigOverride[] sets) =>
        new() { SourceJournal = source, TargetJournal = into, Overrides = sets };

    private static Task<WhatIfResult> RunAsync(WhatIfRunner runner, WhatIfRequest request) =>
        runner.RunAsync(request, new Progress<SimulationProgress>(), CancellationToken.None);

    private static string FileHash(string path)
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return Convert.ToHexString(SHA256.HashData(File.ReadAllBytes(path)));
    }

    [Fact]
    public async Task What_if_without_overrides_should_reproduce_the_recorded_state_hash_and_fates()
    {
        var (source, recorded) = await RecordAsync();
        var runner = new WhatIfRunner();
        var result = await RunAsync(runner, Request(source, Into("same")));
        Assert.NotNull(runner.LastRecordedStateHash);
        Assert.Equal(runner.LastRecordedStateHash, runner.LastBaselineStateHash);
        Assert.Equal(runner.LastRecordedStateHash, runner.LastChangedStateHash);
        Assert.True(result.Baseline.InvariantsHeld, string.Join("; ", result.Baseline.Invariants.Where(i => !i.Passed)));
        Assert.True(result.Changed.InvariantsHeld);
        Assert.Equal(recorded.AccountFates, result.Changed.AccountFates);
        Assert.Equal(recorded.Liquidations, result.Changed.Liquidations);
        Assert.Equal(recorded.Ticks, result.Changed.Ticks);
        Assert.Empty(ReportComparison.DiffFates(result.Baseline, result.Changed));
    }

    [Fact]
    public async Task What_if_with_doubled_maintenance_rates_should_change_fates_and_list_them()
    {
        var (source, recorded) = await RecordAsync();
        var result = await RunAsync(new WhatIfRunner(), Request(source, Into("mmr"), new ConfigOverride("crossmargin.engine.instruments.BTC-PERP.brackets", DoubledBtcBrackets)));
        Assert.True(result.Changed.InvariantsHeld, string.Join("; ", result.Changed.Invariants.Where(i => !i.Passed)));
        var changes = ReportComparison.DiffFates(result.Baseline, result.Changed);
        Assert.NotEmpty(changes);
        Assert.All(changes, c =>
        {
            Assert.Equal(recorded.AccountFates.GetValueOrDefault(c.AccountId, AccountFate.Healthy), c.Before);
            Assert.Equal(result.Changed.AccountFates.GetValueOrDefault(c.AccountId, AccountFate.Healthy), c.After);
        });
        Assert.Equal(recorded.Ticks, result.Changed.Ticks);
        Assert.Equal(changes, ReportComparison.Create(result.Baseline, "recorded", result.Changed, "what-if").FateChanges);
    }

    [Fact]
    public async Task What_if_should_refuse_an_unknown_key_naming_it()
    {
        var (source, _) = await RecordAsync();
        var e = await Assert.ThrowsAsync<RunInputException>(() => RunAsync(new WhatIfRunner(), Request(source, Into("bad"), new ConfigOverride("crossmargin.risk.liquidation.fee-rat", "0.002"))));
        Assert.Contains("crossmargin.risk.liquidation.fee-rat", e.Message);
        Assert.False(File.Exists(Into("bad").Location));
    }

    [Fact]
    public async Task What_if_should_refuse_a_value_of_the_wrong_type_naming_the_key()
    {
        var (source, _) = await RecordAsync();
        var e = await Assert.ThrowsAsync<RunInputException>(() => RunAsync(new WhatIfRunner(), Request(source, Into("bad"), new ConfigOverride("crossmargin.risk.liquidation.fee-rate", "lots"))));
        Assert.Contains("crossmargin.risk.liquidation.fee-rate", e.Message);
    }

    [Fact]
    public async Task What_if_should_refuse_to_change_the_recorded_population()
    {
        var (source, _) = await RecordAsync();
        var e = await Assert.ThrowsAsync<RunInputException>(() => RunAsync(new WhatIfRunner(), Request(source, Into("pop"), new ConfigOverride("crossmargin.engine.population.accounts", "10"))));
        Assert.Contains("crossmargin.engine.population.accounts", e.Message);
    }

    [Fact]
    public async Task What_if_should_leave_the_source_journal_unchanged_and_refuse_it_as_target()
    {
        var (source, _) = await RecordAsync();
        var before = FileHash(source.Location);
        await RunAsync(new WhatIfRunner(), Request(source, Into("changed"), new ConfigOverride("crossmargin.risk.liquidation.fee-rate", "0.002")));
        Assert.Equal(before, FileHash(source.Location));
        await Assert.ThrowsAsync<RunInputException>(() => RunAsync(new WhatIfRunner(), Request(source, source)));
        Assert.Equal(before, FileHash(source.Location));
    }

    [Fact]
    public async Task What_if_should_refuse_a_target_that_already_holds_events()
    {
        var (source, _) = await RecordAsync();
        var into = Into("twice");
        await RunAsync(new WhatIfRunner(), Request(source, into));
        var e = await Assert.ThrowsAsync<RunInputException>(() => RunAsync(new WhatIfRunner(), Request(source, into)));
        Assert.Contains("already holds events", e.Message);
    }
}
