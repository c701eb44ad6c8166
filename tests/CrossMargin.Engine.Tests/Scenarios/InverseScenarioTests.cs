using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Simulation;
using CrossMargin.Engine.Tests.Simulation;
using CrossMargin.Hocon;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using Xunit;

namespace CrossMargin.Engine.Tests.Scenarios;

/// <summary>Inverse (coin-margined) perpetuals and Deribit's linear-in-size rule configured from scenario HOCON, run end to end.</summary>
public sealed class InverseScenarioTests
{
    private static string Fixture([System.Runtime.CompilerServices.CallerFilePath] string here = "") =>
        Path.Combine(Path.GetDirectoryName(here)!, "Fixtures", "inverse-crash.conf");

    private static Scenario Load(int accounts = 150, params ConfigOverride[] sets) =>
        ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = Fixture(), Accounts = accounts, Seed = 11, Sets = sets });

    [Fact]
    public void Scenario_keys_should_build_an_inverse_spec_with_the_linear_in_size_rule()
    {
        var spec = Load().Catalog.Instrument("BTCUSD-INV");

        Assert.Equal(InstrumentKind.InversePerpetual, spec.Kind);
        Assert.Equal("BTC", spec.SettlementAsset);
        Assert.Equal(100m, spec.ContractSize);
        Assert.Equal(new LinearInSizeRule(0.01m, 0.02m, 0.00005m, 10000m), spec.Margin);
        Assert.IsType<BracketTable>(Load().Catalog.Instrument("ETHUSD-INV").Margin);
        Assert.Equal(InstrumentKind.LinearPerpetual, SimulationFixtures.Load("crash", 20, 1).Catalog.Instrument("BTC-PERP").Kind);
    }

    [Theory]
    [InlineData("crossmargin.engine.instruments.BTCUSD-INV.kind", "quanto", "crossmargin.engine.instruments.\"BTCUSD-INV\".kind must be one of linear, inverse, got quanto")]
    [InlineData("crossmargin.engine.instruments.BTCUSD-INV.margin-rule", "tiers", "crossmargin.engine.instruments.\"BTCUSD-INV\".margin-rule must be one of brackets, linear-in-size, got tiers")]
    [InlineData("crossmargin.engine.instruments.BTCUSD-INV.linear-in-size.base-initial-rate", "0.005", "crossmargin.engine.instruments.\"BTCUSD-INV\".linear-in-size.base-initial-rate must be in [0.01, 1), got 0.005")]
    [InlineData("crossmargin.engine.instruments.BTCUSD-INV.linear-in-size.max-size", "100000", "crossmargin.engine.instruments.\"BTCUSD-INV\".linear-in-size.max-size = 100000: makes the maintenance rate reach 100%")]
    [InlineData("crossmargin.engine.coordinator.insurance-fund.asset", "USDT", "crossmargin.engine.instruments.\"BTCUSD-INV\".settlement-asset must be the insurance fund's asset USDT")]
    public void Bad_inverse_keys_should_be_refused_naming_the_key_and_value(string key, string value, string message)
    {
        var e = Assert.Throws<RunInputException>(() => Load(20, new ConfigOverride(key, value)));
        Assert.Contains(message, e.Message, StringComparison.Ordinal);
        Assert.Contains(key.Contains("insurance-fund", StringComparison.Ordinal) ? "insurance-fund.asset, --set" : "--set", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Population_should_size_inverse_positions_in_contracts_of_the_face_value()
    {
        var scenario = Load();
        var trades = scenario.Population.MatchedTrades().Where(t => t.Trade.Instrument == "BTCUSD-INV").ToList();

        Assert.NotEmpty(trades);
        // A few hundred to a few hundred thousand USD per account: contracts of 100 USD, far above one lot on average.
        Assert.True(trades.Average(t => Math.Abs(t.Trade.Size)) > 5m, $"average inverse size {trades.Average(t => Math.Abs(t.Trade.Size))} contracts");
        Assert.All(trades, t => Assert.Equal(decimal.Truncate(t.Trade.Size), t.Trade.Size));
    }

    [Theory]
    [InlineData(CrossMargin.Risk.Model.MarginMode.Cross, 150)]
    [InlineData(CrossMargin.Risk.Model.MarginMode.Portfolio, 40)] // portfolio margin scans a price grid per account: fewer accounts
    public void Crash_with_an_inverse_perpetual_should_liquidate_it_and_hold_money_and_open_interest(CrossMargin.Risk.Model.MarginMode mode, int accounts)
    {
        var scenario = ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = Fixture(), Accounts = accounts, Seed = 11, MarginMode = mode });
        var (report, _, journal) = SimulationFixtures.Run(scenario);

        Assert.All(report.Invariants, i => Assert.True(i.Passed, $"{i.Name}: {i.Evidence}"));
        Assert.Contains(report.Invariants, i => i.Name == "money-conservation");
        Assert.Contains(report.Invariants, i => i.Name == "open-interest-balance");
        var inverseFills = journal.CurrentAllEvents(0).ToBlockingEnumerable()
            .Select(e => e.Event).OfType<LiquidationFilled>().Count(f => f.Instrument == "BTCUSD-INV");
        Assert.True(inverseFills > 0, "a 30% fall should liquidate some inverse positions");
    }
}
