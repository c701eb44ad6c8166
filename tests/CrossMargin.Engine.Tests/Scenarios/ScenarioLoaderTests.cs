using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Hocon;
using CrossMargin.Risk.Model;
using MarginMode = CrossMargin.Risk.Model.MarginMode;
using static CrossMargin.Engine.Tests.Scenarios.ScenarioFixtures;

namespace CrossMargin.Engine.Tests.Scenarios;

public sealed class ScenarioLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("scenario-tests-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [Fact]
    public void Catalog_should_list_every_built_in_scenario()
    {
        Assert.Equal(["collateral-depeg", "correlated-selloff", "crash", "flash-crash-recovery", "historical"], Catalog.Names);
    }

    [Theory]
    [InlineData("crash", TickSourceKind.Scripted)]
    [InlineData("correlated-selloff", TickSourceKind.Gbm)]
    [InlineData("flash-crash-recovery", TickSourceKind.Scripted)]
    [InlineData("collateral-depeg", TickSourceKind.Scripted)]
    public void Every_synthetic_built_in_scenario_should_load_and_produce_its_ticks(string name, TickSourceKind kind)
    {
        var scenario = Load(name, accounts: 300);
        Assert.Equal(name, scenario.Name);
        Assert.Equal(kind, scenario.SourceKind);
        Assert.Equal(300, scenario.Population.Count);
        Assert.Equal(["BTC-PERP", "DOGE-PERP", "ETH-PERP", "SOL-PERP", "XRP-PERP"], scenario.Instruments.Select(i => i.Id));
        Assert.Contains("USDE", scenario.FeedSymbols);
        var ticks = scenario.CreateTickSource().Ticks().ToList();
        Assert.Equal(scenario.TotalTicks, ticks.Count);
        Assert.All(ticks, t => Assert.Contains(t.Instrument, scenario.FeedSymbols));
        Assert.Equal(scenario.StartTime, ticks[0].Time);
    }

    [Fact]
    public void Crash_should_take_BTC_down_30_percent_in_10_minutes()
    {
        var scenario = Load("crash", accounts: 10);
        var btc = scenario.CreateTickSource().Ticks().Where(t => t.Instrument == "BTC-PERP").ToList();
        Assert.Equal(121_000m, btc[0].Price);
        var atTen = btc.Single(t => t.Time == scenario.StartTime.AddMinutes(10));
        Assert.Equal(84_700m, atTen.Price);
        Assert.Equal(84_700m, btc[^1].Price);
        Assert.Equal(scenario.StartTime.AddMinutes(15), btc[^1].Time);
    }

    [Fact]
    public void Collateral_depeg_should_take_USDE_to_0_65()
    {
        var scenario = Load("collateral-depeg", accounts: 10);
        var usde = scenario.CreateTickSource().Ticks().Where(t => t.Instrument == "USDE").ToList();
        Assert.Equal(1m, usde[0].Price);
        Assert.Equal(0.65m, usde[^1].Price);
        Assert.Equal("USDE", scenario.Assets.Single(a => a.Id == "USDE").PriceFeed);
        Assert.Equal(0.4m, scenario.PopulationSettings.CollateralMix.Single(w => w.Value == "USDE").Weight);
    }

    [Fact]
    public void Flash_crash_should_win_back_80_percent_of_the_fall()
    {
        var scenario = Load("flash-crash-recovery", accounts: 10);
        var btc = scenario.CreateTickSource().Ticks().Where(t => t.Instrument == "BTC-PERP").ToList();
        Assert.Equal(96_800m, btc.Min(t => t.Price));
        Assert.Equal(116_160m, btc[^1].Price); // 121,000 × 0.8 × 1.2 = 96% of the start
    }

    [Fact]
    public void Correlated_selloff_should_fall_on_every_coin()
    {
        var scenario = Load("correlated-selloff", accounts: 10);
        var last = scenario.CreateTickSource().Ticks().GroupBy(t => t.Instrument).ToDictionary(g => g.Key, g => g.Last().Price);
        foreach (var i in scenario.Instruments)
        {
            Assert.True(last[i.Id] < i.InitialPrice * 0.95m, $"{i.Id} ended at {last[i.Id]} from {i.InitialPrice}");
        }
    }

    [Fact]
    public void Historical_should_replay_the_files_given_and_read_book_depth()
    {
        var ticks = SharedFile("2025-10-10/BTCUSDT-5m-2025-10-10.csv");
        var depth = SharedFile("2025-10-10/BTCUSDT-bookDepth-2025-10-10.csv");
        var scenario = ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides
        {
            Scenario = "historical",
            Catalog = Catalog,
            Accounts = 200,
            TickFiles = [ticks],
            Sets = [new ConfigOverride("crossmargin.scenario.historical.depth-file", $"\"{depth}\"")],
        });
        Assert.Equal(TickSourceKind.Historical, scenario.SourceKind);
        var first = scenario.CreateTickSource().Ticks().First();
        Assert.Equal("BTC-PERP", first.Instrument);
        var rounded = Math.Round(first.Price / 0.1m, 0, MidpointRounding.ToEven) * 0.1m;
        Assert.Equal(rounded, scenario.Instrument("BTC-PERP").InitialPrice);
        Assert.Equal(rounded, scenario.InitialPrices.Price("BTC"));
        Assert.Equal(first.Time, scenario.StartTime);
        Assert.NotNull(scenario.Depth);
        Assert.Equal("BTC-PERP", scenario.DepthInstrument);
        Assert.Equal(-1, scenario.DepthBand);
        Assert.Equal(4_350m, scenario.Instrument("ETH-PERP").InitialPrice); // no ETH ticks: configured price
    }

    [Fact]
    public void Historical_without_tick_files_should_say_how_to_give_them()
    {
        var e = Assert.Throws<RunInputException>(() => Load("historical"));
        Assert.Contains("--ticks", e.Message);
    }

    [Fact]
    public void Overrides_should_set_accounts_seed_mode_and_any_key()
    {
        var scenario = Load("crash", accounts: 123, seed: 7, mode: MarginMode.Isolated,
            "crossmargin.risk.liquidation.fee-rate=0.001", "crossmargin.engine.population.long-share=0.5", "crossmargin.engine.coordinator.insurance-fund.initial=5");
        Assert.Equal(123, scenario.Population.Count);
        Assert.Equal(7UL, scenario.Seed);
        Assert.Equal(MarginMode.Isolated, scenario.MarginMode);
        Assert.All(scenario.Population.Accounts, a => Assert.Equal(MarginMode.Isolated, a.Mode));
        Assert.Equal(0.001m, scenario.Risk.LiquidationFeeRate);
        Assert.Equal(0.5m, scenario.PopulationSettings.LongShare);
        Assert.Equal(5m, scenario.Coordinator.InsuranceFundStart);
    }

    [Fact]
    public void A_typed_option_should_win_over_a_set_of_the_same_key()
    {
        var scenario = Load("crash", accounts: 50, sets: "crossmargin.engine.population.accounts=70");
        Assert.Equal(50, scenario.Population.Count);
    }

    [Fact]
    public void A_scenario_file_should_load_by_path_and_override_engine_keys()
    {
        var path = Write("mine.conf", """
            crossmargin.scenario {
              name = mine
              source = scripted
              scripted { interval = 10s, shocks = [ { feed = SOL-PERP, legs = [ { by-percent = -50, over = 1m } ] } ] }
            }
            crossmargin.engine.population.accounts = 40
            crossmargin.engine.instruments.SOL-PERP.initial-price = 100
            """);
        var scenario = ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = path });
        Assert.Equal("mine", scenario.Name);
        Assert.Equal("mine", scenario.Description);
        Assert.Equal(path, scenario.Source);
        Assert.Equal(40, scenario.Population.Count);
        Assert.Equal([100m, 91.67m, 83.33m, 75m, 66.67m, 58.33m, 50m], scenario.CreateTickSource().Ticks().Select(t => t.Price));
    }

    [Fact]
    public void The_config_text_should_rebuild_the_same_scenario()
    {
        var scenario = Load("crash", accounts: 200, seed: 99, mode: MarginMode.Portfolio);
        var again = ScenarioLoader.Load(ConfigurationFactory.ParseString(scenario.ConfigText, "recorded"), ScenarioOverrides.None);
        Assert.Equal(scenario.Name, again.Name);
        Assert.Equal(scenario.Seed, again.Seed);
        Assert.Equal(scenario.MarginMode, again.MarginMode);
        Assert.Equal(Fingerprint(scenario.Population), Fingerprint(again.Population));
        Assert.Equal(scenario.CreateTickSource().Ticks(), again.CreateTickSource().Ticks());
    }

    [Fact]
    public void Without_a_scenario_name_the_crash_scenario_should_load()
    {
        var scenario = ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Catalog = Catalog, Accounts = 5 });
        Assert.Equal("crash", scenario.Name);
    }

    [Fact]
    public void An_unknown_scenario_name_should_list_the_known_ones()
    {
        var e = Assert.Throws<RunInputException>(() => Load("crsh"));
        Assert.Equal("unknown scenario 'crsh'; known scenarios: collateral-depeg, correlated-selloff, crash, flash-crash-recovery, historical (or pass a path to a .conf file)", e.Message);
    }

    [Fact]
    public void A_missing_scenario_file_should_name_its_full_path()
    {
        var e = Assert.Throws<RunInputException>(() => Load(Path.Combine(_dir, "nope.conf")));
        Assert.Contains(Path.Combine(_dir, "nope.conf") + " does not exist", e.Message);
    }

    [Fact]
    public void A_malformed_scenario_should_give_the_HOCON_error_with_file_and_line()
    {
        var path = Write("broken.conf", "crossmargin.scenario {\n  name = broken\n  source = [scripted\n}\n");
        var e = Assert.Throws<RunInputException>(() => Load(path));
        Assert.IsAssignableFrom<HoconException>(e.InnerException);
        Assert.Contains($"{path}:4", e.Message);
    }

    [Fact]
    public void An_out_of_range_key_should_name_its_full_path_range_value_and_line()
    {
        var path = Write("zero.conf", "crossmargin.scenario { name = zero, source = scripted\n  scripted { interval = 1s, shocks = [ { feed = BTC-PERP, legs = [ { hold = 1m } ] } ] } }\n\ncrossmargin.engine.population.accounts = 0\n");
        var e = Assert.Throws<RunInputException>(() => ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = path }));
        Assert.Equal($"crossmargin.engine.population.accounts must be 1..10000000, got 0 ({path}:4)", e.Message);
    }

    [Fact]
    public void An_out_of_range_set_should_point_at_the_set()
    {
        var e = Assert.Throws<RunInputException>(() => Load("crash", accounts: null, sets: "crossmargin.engine.population.long-share=1.5"));
        Assert.Equal("crossmargin.engine.population.long-share must be in [0, 1], got 1.5 (--set:1)", e.Message);
    }

    [Fact]
    public void An_out_of_range_accounts_option_should_name_the_key_and_the_command_line()
    {
        var e = Assert.Throws<RunInputException>(() => Load("crash", accounts: 0));
        Assert.Equal("crossmargin.engine.population.accounts must be 1..10000000, got 0 (command line:1)", e.Message);
    }

    [Fact]
    public void A_set_of_an_unknown_key_should_be_refused()
    {
        var e = Assert.Throws<RunInputException>(() => Load("crash", sets: "crossmargin.engine.populaton.accounts=5"));
        Assert.StartsWith("--set crossmargin.engine.populaton.accounts=5: unknown key crossmargin.engine.populaton.accounts", e.Message);
    }

    [Fact]
    public void A_value_of_the_wrong_type_should_name_the_path()
    {
        var e = Assert.Throws<RunInputException>(() => Load("crash", sets: "crossmargin.engine.coordinator.round-interval=soon"));
        Assert.Contains("crossmargin.engine.coordinator.round-interval", e.Message);
    }

    [Fact]
    public void A_missing_key_should_name_its_full_path()
    {
        var path = Write("nosource.conf", "crossmargin.scenario { name = x }\n");
        var e = Assert.Throws<RunInputException>(() => ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = path }));
        Assert.Contains("crossmargin.scenario.source", e.Message);
    }

    [Fact]
    public void A_liquidation_fee_above_a_maintenance_rate_should_be_refused_by_the_risk_core_with_the_path()
    {
        var e = Assert.Throws<RunInputException>(() => Load("crash", sets: "crossmargin.risk.liquidation.fee-rate=0.005"));
        Assert.Contains("crossmargin.risk.instrument[BTC-PERP].margin", e.Message);
        Assert.Contains("liquidation fee rate 0.005", e.Message);
    }

    [Fact]
    public void A_shock_on_an_unknown_feed_should_list_the_feeds()
    {
        var path = Write("feed.conf", "crossmargin.scenario { name = f, source = scripted\n scripted { interval = 1s, shocks = [ { feed = LTC-PERP, legs = [ { hold = 1s } ] } ] } }\n");
        var e = Assert.Throws<RunInputException>(() => ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = path }));
        Assert.Contains("crossmargin.scenario.scripted.shocks[0]: feed LTC-PERP is neither an instrument nor an asset's price-feed; known feeds: BTC-PERP, DOGE-PERP, ETH-PERP, SOL-PERP, USDE, XRP-PERP", e.Message);
        Assert.Contains($"{path}:2", e.Message);
    }

    [Fact]
    public void A_bad_bracket_should_name_the_instrument_and_bracket()
    {
        var e = Assert.Throws<RunInputException>(() => Load("crash", sets: "crossmargin.engine.instruments.BTC-PERP.brackets=[{notional-cap=100, maintenance-rate=0.2, max-leverage=20}]"));
        Assert.Contains("crossmargin.engine.instruments.\"BTC-PERP\".brackets[0]", e.Message);
        Assert.Contains("(--set:1)", e.Message);
        Assert.Contains("1/max-leverage (0.05) must be at least maintenance-rate 0.2", e.Message);
    }

    [Fact]
    public void Market_settings_should_map_onto_the_market_types()
    {
        var scenario = Load("crash", accounts: 10, sets: ["crossmargin.engine.instruments.ETH-PERP.mark.model=index"]);
        var btc = scenario.Instrument("BTC-PERP");
        Assert.Equal(MarkModelKind.MedianOfThree, btc.MarkModel);
        Assert.Equal(0.1m, btc.Impact.TickSize);
        Assert.Equal(4_000m, btc.Impact.DailyVolume);
        Assert.Equal(400m, btc.DepthThinning.LiquidationVolumeAtFloor);
        Assert.Equal(0.05m, btc.DepthThinning.Floor);
        Assert.Equal(MarkModelKind.Index, scenario.Instrument("ETH-PERP").MarkModel);
        Assert.IsType<CrossMargin.Engine.Market.IndexMarkModel>(scenario.Instrument("ETH-PERP").CreateMarkModel());
        Assert.Equal(0.95m, scenario.Catalog.Asset("BTC").Haircut.MaxRatio);
        Assert.Equal(0.9m, scenario.Catalog.Asset("SOL").Haircut.MaxRatio);
        Assert.Equal(10, ((Risk.Margin.BracketTable)scenario.Catalog.Instrument("BTC-PERP").Margin).Brackets.Length);
        Assert.Equal(2_000_000m, scenario.Coordinator.InsuranceFundStart);
        Assert.Equal(0L, scenario.MarketMaker.AccountId);
        Assert.Equal("deribit", scenario.Risk.Strategy.Name);
        Assert.Equal(TimeSpan.FromSeconds(1), scenario.Risk.Strategy.Cooldown);
        Assert.Equal(2, scenario.Risk.Portfolio.Groups.Length);
    }
}
