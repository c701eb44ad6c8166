using System.Globalization;
using System.Text;
using CrossMargin.Engine.Feeds;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using MarginMode = CrossMargin.Risk.Model.MarginMode;
using CrossMargin.Hocon;
using CrossMargin.Risk;
using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// Builds a <see cref="Scenario"/> from configuration: the scenario file (built-in name or path) layered over the
/// given configuration, then the <c>--set</c> overrides, then the typed command-line options; then every key is read,
/// range-checked and turned into the risk core's and the market code's types, and the population is generated.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// Every refusal is a <see cref="RunInputException"/>: malformed HOCON gives the parser's message with file:line:col;
/// a missing or out-of-range key names its full path, the accepted range, the value and file:line; an unknown scenario
/// lists the known ones.
/// </remarks>
public static class ScenarioLoader
{
    /// <summary>Largest population accepted.</summary>
    public const int MaxAccounts = 10_000_000;

    private const string Engine = "crossmargin.engine";
    private const string RiskRoot = "crossmargin.risk";
    private const string ScenarioRoot = "crossmargin.scenario";

    /// <summary>Loads with <see cref="ConfigurationFactory.Default"/> (the embedded reference.conf) as the base configuration.</summary>
    public static Scenario Load(ScenarioOverrides overrides) => Load(ConfigurationFactory.Default(), overrides);

    /// <summary>
    /// Loads the scenario <paramref name="overrides"/> names (or, when it names none, the one already in
    /// <paramref name="config"/>, or <see cref="ScenarioCatalog.DefaultScenario"/> when there is none) on top of
    /// <paramref name="config"/> (normally <c>ConfigurationFactory.Load(appFile)</c>).
    /// </summary>
    /// <exception cref="RunInputException">Anything wrong with the scenario, a key, an override or a tick file.</exception>
    public static Scenario Load(Config config, ScenarioOverrides overrides)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(overrides);
        var (merged, source) = Layer(config, overrides);
        return Build(merged, source);
    }

    /// <summary>The configuration <see cref="Load(Config, ScenarioOverrides)"/> would build from, without building (for <c>--print-config</c> and what-if).</summary>
    public static Config Resolve(Config config, ScenarioOverrides overrides) => Layer(config, overrides).Config;

    private static (Config Config, string Source) Layer(Config config, ScenarioOverrides overrides)
    {
        string source = "configuration";
        var scenario = overrides.Scenario;
        if (scenario is null && !config.HasPath($"{ScenarioRoot}.name"))
        {
            scenario = ScenarioCatalog.DefaultScenario;
        }

        if (scenario is not null)
        {
            string text;
            if (LooksLikeFile(scenario))
            {
                if (!File.Exists(scenario))
                {
                    throw new RunInputException($"scenario file {Path.GetFullPath(scenario)} does not exist; built-in scenarios: {string.Join(", ", (overrides.Catalog ?? ScenarioCatalog.Default).Names)}");
                }

                text = File.ReadAllText(scenario);
                source = scenario;
            }
            else
            {
                text = (overrides.Catalog ?? ScenarioCatalog.Default).GetText(scenario);
                source = scenario + ".conf";
            }

            config = Parse(text, source, config, null);
        }

        if (overrides.Sets.Count > 0)
        {
            foreach (var set in overrides.Sets)
            {
                CheckSetPath(config, set);
            }

            config = Parse(string.Join('\n', overrides.Sets.Select(s => s.ToHocon())), "--set", config, "--set");
        }

        var typed = new StringBuilder();
        if (overrides.Accounts is { } n)
        {
            typed.Append(CultureInfo.InvariantCulture, $"{Engine}.population.accounts = {n}\n");
        }

        if (overrides.Seed is { } seed)
        {
            typed.Append(CultureInfo.InvariantCulture, $"{Engine}.seed = {seed}\n");
        }

        if (overrides.MarginMode is { } mode)
        {
            typed.Append(CultureInfo.InvariantCulture, $"{Engine}.margin-mode = {mode.ToString().ToLowerInvariant()}\n");
        }

        if (overrides.TickFiles.Count > 0)
        {
            typed.Append(CultureInfo.InvariantCulture, $"{ScenarioRoot}.historical.ticks = [{string.Join(", ", overrides.TickFiles.Select(Quote))}]\n");
        }

        if (overrides.SkipBadRows)
        {
            typed.Append(CultureInfo.InvariantCulture, $"{Engine}.feeds.skip-bad-rows = on\n");
        }

        if (typed.Length > 0)
        {
            config = Parse(typed.ToString(), "command line", config, null);
        }

        return (config, source);
    }

    private static bool LooksLikeFile(string scenario) =>
        scenario.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) || scenario.Contains('/', StringComparison.Ordinal) || scenario.Contains('\\', StringComparison.Ordinal);

    private static Config Parse(string text, string sourceName, Config fallback, string? what)
    {
        try
        {
            return ConfigurationFactory.ParseString(text, sourceName, fallback);
        }
        catch (HoconException e)
        {
            throw new RunInputException(what is null ? e.Message : $"{what}: {e.Message}", e);
        }
    }

    private static string Origin(Config c) => $"{c.Root.Origin.Source}:{c.Root.Origin.Line}";

    /// <summary>Maps whose keys are names the user chooses: a --set may add a new key anywhere under them.</summary>
    private static readonly string[] OpenMaps =
    [
        $"{Engine}.instruments.", $"{Engine}.assets.", $"{Engine}.market-maker.deposits.", $"{Engine}.population.collateral-mix.",
        $"{Engine}.population.instruments.", $"{ScenarioRoot}.",
    ];

    private static void CheckSetPath(Config config, ConfigOverride set)
    {
        if (OpenMaps.Any(m => set.Path.StartsWith(m, StringComparison.Ordinal)))
        {
            return;
        }

        string parent;
        try
        {
            if (config.HasPath(set.Path))
            {
                return;
            }

            var dot = set.Path.LastIndexOf('.');
            parent = dot < 0 ? "" : set.Path[..dot];
            if (parent.Length > 0 && config.GetValue(parent) is HoconObject)
            {
                return;
            }
        }
        catch (HoconException e)
        {
            throw new RunInputException($"--set {set}: {e.Message}", e);
        }

        throw new RunInputException($"--set {set}: unknown key {set.Path} (neither it nor its parent {(parent.Length == 0 ? "(root)" : parent)} exists; see docs/scenarios.md for the keys)");
    }

    private static string Quote(string s)
    {
        var b = new StringBuilder("\"");
        foreach (var c in s)
        {
            _ = c switch
            {
                '"' => b.Append("\\\""),
                '\\' => b.Append("\\\\"),
                '\n' => b.Append("\\n"),
                '\r' => b.Append("\\r"),
                '\t' => b.Append("\\t"),
                _ => b.Append(c),
            };
        }

        return b.Append('"').ToString();
    }

    private static Scenario Build(Config config, string source)
    {
        var r = new ConfigReader(config);
        var name = r.String($"{ScenarioRoot}.name");
        var description = r.OptionalString($"{ScenarioRoot}.description") ?? name;
        var mode = r.OneOf($"{Engine}.margin-mode", MarginModesByName);
        var seed = r.ULong($"{Engine}.seed");
        var start = StartTime(r, $"{Engine}.start-time");
        var valuation = r.String($"{Engine}.valuation-asset");
        var journal = JournalSettings.Read(r);
        var instruments = ReadInstruments(r);
        var assets = ReadAssets(r, instruments, valuation);
        var risk = ReadRisk(r, assets);
        var catalog = Risky(RiskRoot, r, () => new RiskCatalog(instruments.Select(i => i.Spec), assets.Select(a => a.Spec)));
        Risky(RiskRoot, r, () => risk.Validate(catalog));

        var kind = r.OneOf($"{ScenarioRoot}.source", SourceKinds);
        var skipBadRows = r.Bool($"{Engine}.feeds.skip-bad-rows");
        Func<ITickSource> createSource;
        long? totalTicks = null;
        BookDepthSeries? depth = null;
        string? depthInstrument = null;
        var depthBand = -1;
        switch (kind)
        {
            case TickSourceKind.Scripted:
                (createSource, totalTicks) = ReadScripted(r, instruments, assets, start);
                break;
            case TickSourceKind.Gbm:
                (createSource, totalTicks) = ReadGbm(r, instruments, assets, seed, start);
                break;
            default:
                (createSource, depth, depthBand, depthInstrument) = ReadHistorical(r, instruments, skipBadRows);
                (instruments, assets, start) = FirstPrices(r, createSource, instruments, assets, start);
                if (depth is not null)
                {
                    var recorded = new RecordedDepth(depth, depthBand);
                    instruments = instruments.Select(i => i.Id == depthInstrument ? i with { RecordedDepth = recorded } : i).ToList();
                }

                break;
        }

        var prices = new MarketPrices(
            instruments.Select(i => KeyValuePair.Create(i.Id, i.InitialPrice)),
            assets.Select(a => KeyValuePair.Create(a.Id, a.InitialPrice)));
        var marketMaker = ReadMarketMaker(r, catalog);
        var coordinator = ReadCoordinator(r, catalog);
        var populationSettings = ReadPopulation(r, instruments, assets);
        CheckOneSettlementAsset(r, instruments, coordinator, populationSettings);
        var population = PopulationGenerator.Generate(populationSettings, catalog, risk, prices, mode, seed, marketMaker);

        return new Scenario
        {
            Name = name,
            Description = description,
            Source = source,
            MarginMode = mode,
            Seed = seed,
            StartTime = start,
            ValuationAsset = valuation,
            Catalog = catalog,
            Risk = risk,
            Instruments = instruments,
            Assets = assets,
            InitialPrices = prices,
            Coordinator = coordinator,
            MarketMaker = marketMaker,
            PopulationSettings = populationSettings,
            Population = population,
            SourceKind = kind,
            CreateTickSource = createSource,
            TotalTicks = totalTicks,
            Depth = depth,
            DepthBand = depthBand,
            DepthInstrument = depthInstrument,
            Journal = journal,
            Config = config,
            ConfigText = config.ToString(),
        };
    }

    private static readonly Dictionary<string, MarginMode> MarginModesByName = new(StringComparer.Ordinal)
    {
        ["cross"] = MarginMode.Cross,
        ["isolated"] = MarginMode.Isolated,
        ["portfolio"] = MarginMode.Portfolio,
    };

    private static readonly Dictionary<string, TickSourceKind> SourceKinds = new(StringComparer.Ordinal)
    {
        ["scripted"] = TickSourceKind.Scripted,
        ["gbm"] = TickSourceKind.Gbm,
        ["historical"] = TickSourceKind.Historical,
    };

    private static readonly Dictionary<string, MarkModelKind> MarkModels = new(StringComparer.Ordinal)
    {
        ["index"] = MarkModelKind.Index,
        ["index-ema-basis"] = MarkModelKind.IndexEmaBasis,
        ["median-of-three"] = MarkModelKind.MedianOfThree,
    };

    private static readonly Dictionary<string, Risk.Waterfall.AdlRanking> AdlRankings = new(StringComparer.Ordinal)
    {
        ["bitmex"] = Risk.Waterfall.AdlRanking.BitMex,
        ["binance"] = Risk.Waterfall.AdlRanking.Binance,
        ["pro-rata"] = Risk.Waterfall.AdlRanking.ProRata,
    };

    private static readonly Dictionary<string, KlinePrice> KlinePrices = new(StringComparer.Ordinal)
    {
        ["close"] = KlinePrice.CloseAtCloseTime,
        ["open"] = KlinePrice.OpenAtOpenTime,
    };

    private static DateTimeOffset StartTime(ConfigReader r, string path)
    {
        var text = r.String(path);
        if (!DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var t))
        {
            throw r.Fail(path, $"must be an ISO-8601 instant such as 2025-10-10T21:00:00Z, got {text}");
        }

        return t;
    }

    /// <summary>Value at the instrument's own key when set, else at the engine-wide default key.</summary>
    private static string Pick(ConfigReader r, string instrumentPath, string defaultPath) => r.Has(instrumentPath) ? instrumentPath : defaultPath;

    private static List<InstrumentMarket> ReadInstruments(ConfigReader r)
    {
        var result = new List<InstrumentMarket>();
        var keys = r.Keys($"{Engine}.instruments");
        if (keys.Count == 0)
        {
            throw r.Fail($"{Engine}.instruments", "must list at least one instrument");
        }

        foreach (var id in keys.Order(StringComparer.Ordinal))
        {
            var p = $"{Engine}.instruments.\"{id}\"";
            var tick = r.Decimal($"{p}.tick-size", 0m, null, minOpen: true);
            var lot = r.Decimal($"{p}.lot-size", 0m, null, minOpen: true);
            var kind = r.Has($"{p}.kind") ? r.OneOf($"{p}.kind", InstrumentKinds) : InstrumentKind.LinearPerpetual;
            var rule = ReadMarginRule(r, p);
            var spec = Risky(p, r, () => new InstrumentSpec(id, kind,
                r.String($"{p}.underlying"), r.String($"{p}.settlement-asset"),
                r.Decimal($"{p}.contract-size", 0m, null, minOpen: true), tick, lot, rule));
            var initial = r.Decimal($"{p}.initial-price", 0m, null, minOpen: true);
            initial = PriceRounding(initial, tick);
            var markPath = Pick(r, $"{p}.mark.model", $"{Engine}.market.mark.model");
            var halfLifePath = Pick(r, $"{p}.mark.basis-half-life", $"{Engine}.market.mark.basis-half-life");
            var impact = new ImpactParameters(
                r.Decimal(Pick(r, $"{p}.impact.y", $"{Engine}.market.impact.y"), 0m, null, minOpen: true),
                r.Decimal($"{p}.daily-volatility", 0m, 10m, minOpen: true),
                r.Decimal($"{p}.daily-volume", 0m, null, minOpen: true),
                tick,
                r.Decimal(Pick(r, $"{p}.impact.max-relative-impact", $"{Engine}.market.impact.max-relative-impact"), 0m, 1m, true, true));
            var dt = $"{Engine}.market.depth-thinning";
            var thinning = new DepthThinningParameters(
                r.Decimal(Pick(r, $"{p}.depth-thinning.floor", $"{dt}.floor"), 0m, 1m, minOpen: true),
                r.Decimal(Pick(r, $"{p}.depth-thinning.drawdown-at-floor", $"{dt}.drawdown-at-floor"), 0m, 1m, minOpen: true),
                r.Decimal(Pick(r, $"{p}.depth-thinning.liquidation-volume-at-floor", $"{dt}.liquidation-volume-at-floor"), 0m, null, minOpen: true),
                r.Duration(Pick(r, $"{p}.depth-thinning.window", $"{dt}.window")));
            // 0 turns decay off: the impact of forced selling then stays in the mark for the rest of the run.
            var impactHalfLife = r.Duration(Pick(r, $"{p}.impact.half-life", $"{Engine}.market.impact.half-life"), allowZero: true);
            result.Add(new InstrumentMarket(spec, initial, r.OneOf(markPath, MarkModels), r.Duration(halfLifePath), impact, thinning,
                impactHalfLife == TimeSpan.Zero ? null : impactHalfLife));
        }

        return result;
    }

    /// <summary>
    /// The loss waterfall (insurance fund, ADL, socialized loss) settles in one asset, the insurance fund's: every
    /// instrument the population trades must settle in it. Inverse perpetuals settle in their coin, so a scenario of
    /// coin-margined instruments holds its fund in that coin (<c>coordinator.insurance-fund.asset = BTC</c>) and gives
    /// the linear ones weight 0 in <c>population.instruments</c>.
    /// </summary>
    private static void CheckOneSettlementAsset(ConfigReader r, List<InstrumentMarket> instruments, CoordinatorSettings coordinator, PopulationSettings population)
    {
        foreach (var i in instruments)
        {
            if (population.Instruments.Any(w => w.Value == i.Id) && i.Spec.SettlementAsset != coordinator.InsuranceFundAsset)
            {
                throw r.Fail($"{Engine}.instruments.\"{i.Id}\".settlement-asset",
                    $"must be the insurance fund's asset {coordinator.InsuranceFundAsset} ({Engine}.coordinator.insurance-fund.asset, {r.Where($"{Engine}.coordinator.insurance-fund.asset")}): " +
                    $"the loss waterfall settles every traded instrument (population.instruments weight > 0) in one asset; got {i.Spec.SettlementAsset}");
            }
        }
    }

    private static readonly Dictionary<string, InstrumentKind> InstrumentKinds = new(StringComparer.Ordinal)
    {
        ["linear"] = InstrumentKind.LinearPerpetual,
        ["inverse"] = InstrumentKind.InversePerpetual,
    };

    /// <summary>
    /// <c>margin-rule = brackets</c> (the default: <c>brackets = [...]</c>, notional caps in the settlement asset) or
    /// <c>margin-rule = linear-in-size</c> (Deribit: <c>linear-in-size { base-maintenance-rate, base-initial-rate, size-rate, max-size }</c>).
    /// </summary>
    private static MarginRule ReadMarginRule(ConfigReader r, string p)
    {
        var name = r.Has($"{p}.margin-rule") ? r.String($"{p}.margin-rule") : "brackets";
        switch (name)
        {
            case "brackets":
                return ReadBrackets(r, p);
            case "linear-in-size":
                var l = $"{p}.linear-in-size";
                if (!r.Has(l))
                {
                    throw r.Fail($"{p}.margin-rule", $"= linear-in-size needs a block {l} {{ base-maintenance-rate, base-initial-rate, size-rate, max-size }}");
                }

                var maintenance = r.Decimal($"{l}.base-maintenance-rate", 0m, 1m, true, true);
                var rule = new LinearInSizeRule(maintenance, r.Decimal($"{l}.base-initial-rate", maintenance, 1m, maxOpen: true),
                    r.Decimal($"{l}.size-rate", 0m, 1m, maxOpen: true), r.Decimal($"{l}.max-size", 0m, null, minOpen: true));
                return Risky(l, r, rule.Validate);
            default:
                throw r.Fail($"{p}.margin-rule", $"must be one of brackets, linear-in-size, got {name}");
        }
    }

    private static BracketTable ReadBrackets(ConfigReader r, string p)
    {
        var brackets = new List<Bracket>();
        var floor = 0m;
        var rows = r.ConfigList($"{p}.brackets");
        if (rows.Count == 0)
        {
            throw r.Fail($"{p}.brackets", "must hold at least one bracket");
        }

        for (var j = 0; j < rows.Count; j++)
        {
            var row = new ConfigReader(rows[j].WithFallback(ConfigurationFactory.Empty));
            var bp = $"{p}.brackets[{j}]";
            decimal Read(string key, decimal? min, decimal? max, bool minOpen, bool maxOpen)
            {
                try
                {
                    return row.Decimal(key, min, max, minOpen, maxOpen);
                }
                catch (RunInputException e)
                {
                    throw new RunInputException($"{bp}: {e.Message} ({Origin(rows[j])})", e);
                }
            }

            var cap = Read("notional-cap", floor, null, true, false);
            var mmr = Read("maintenance-rate", 0m, 1m, true, true);
            var lev = Read("max-leverage", 1m, null, false, false);
            if (1m / lev < mmr)
            {
                throw new RunInputException($"{p}.brackets[{j}]: 1/max-leverage ({ConfigReader.Text(1m / lev)}) must be at least maintenance-rate {ConfigReader.Text(mmr)} ({Origin(rows[j])})");
            }

            brackets.Add(new Bracket(floor, cap, mmr, lev));
            floor = cap;
        }

        return new BracketTable(brackets);
    }

    private static decimal PriceRounding(decimal price, decimal tick)
    {
        var rounded = Math.Round(price / tick, 0, MidpointRounding.ToEven) * tick;
        return rounded <= 0m ? tick : rounded;
    }

    private static List<AssetMarket> ReadAssets(ConfigReader r, List<InstrumentMarket> instruments, string valuation)
    {
        var result = new List<AssetMarket>();
        var keys = r.Keys($"{Engine}.assets");
        if (!keys.Contains(valuation))
        {
            throw r.Fail($"{Engine}.valuation-asset", $"must be one of the assets ({string.Join(", ", keys)}), got {valuation}");
        }

        foreach (var id in keys.Order(StringComparer.Ordinal))
        {
            var p = $"{Engine}.assets.\"{id}\"";
            HaircutSchedule haircut;
            if (r.Has($"{p}.haircut-tiers"))
            {
                var tiers = r.ConfigList($"{p}.haircut-tiers").Select(t => new HaircutTier(t.GetDecimal("value-floor"), t.GetDecimal("ratio"))).ToList();
                haircut = Risky(p, r, () => new HaircutSchedule(tiers));
            }
            else
            {
                haircut = HaircutSchedule.Flat(r.Decimal($"{p}.haircut", 0m, 1m));
            }

            var feed = r.OptionalString($"{p}.price-feed");
            var tick = r.Decimal($"{p}.tick-size", 0m, null, minOpen: true);
            decimal price;
            if (id == valuation)
            {
                if (feed is not null)
                {
                    throw r.Fail($"{p}.price-feed", $"must be null for the valuation asset {valuation} (its price is 1), got {feed}");
                }

                price = 1m;
            }
            else if (feed is not null && instruments.FirstOrDefault(i => i.Id == feed) is { } instrument)
            {
                price = instrument.InitialPrice;
            }
            else
            {
                price = PriceRounding(r.Decimal($"{p}.price", 0m, null, minOpen: true), tick);
            }

            result.Add(new AssetMarket(new AssetSpec(id, haircut), price, feed, tick));
        }

        return result;
    }

    private static T Risky<T>(string prefix, ConfigReader r, Func<T> build)
    {
        try
        {
            return build();
        }
        catch (RiskInputException e)
        {
            var path = $"{prefix}.{e.Field}";
            throw new RunInputException($"{path} = {e.Value}: {e.Reason} ({r.Where(path)})", e);
        }
        catch (ArgumentException e)
        {
            throw new RunInputException($"{prefix}: {e.Message}", e);
        }
    }

    private static RiskConfig ReadRisk(ConfigReader r, List<AssetMarket> assets)
    {
        var t = $"{RiskRoot}.thresholds";
        var thresholds = new Risk.States.RiskThresholds(
            r.Decimal($"{t}.warning-ratio", 0m, null, minOpen: true),
            r.Decimal($"{t}.reduce-only-ratio", 0m, null, minOpen: true),
            r.Decimal($"{t}.liquidation-ratio", 0m, null, minOpen: true),
            r.Decimal($"{t}.backstop-ratio", 0m, null),
            r.Decimal($"{t}.exit-buffer-rate", 0m, 1m));
        var s = $"{RiskRoot}.liquidation.strategy";
        var strategy = new Risk.Liquidation.LiquidationStrategy(
            r.String($"{s}.name"),
            r.Decimal($"{s}.max-fraction-per-round", 0m, 1m, minOpen: true),
            r.OptionalDecimal($"{s}.max-notional-per-round", 0m, null, minOpen: true),
            r.Duration($"{s}.cooldown", allowZero: true),
            r.Decimal($"{s}.full-close-below-notional", 0m, null));
        var w = $"{RiskRoot}.waterfall";
        var waterfall = new Risk.Waterfall.LossWaterfallConfig(
            r.Bool($"{w}.use-insurance-fund"),
            r.Decimal($"{w}.insurance-max-share", 0m, 1m),
            r.Bool($"{w}.use-adl"),
            r.OneOf($"{w}.adl-ranking", AdlRankings),
            r.Bool($"{w}.use-socialized-loss"),
            r.Decimal($"{w}.fee-to-insurance-share", 0m, 1m),
            r.String($"{w}.backstop-account"),
            r.Int($"{w}.money-decimals", 0, 20));
        var b = $"{RiskRoot}.bands";
        var bands = new BandConfig(r.Decimal($"{b}.safety", 0m, 1m, true, true), r.Decimal($"{b}.max-relative-width", 0m, 0.5m, minOpen: true))
        {
            Directional = r.Bool($"{b}.directional"),
            // An asset without a feed keeps its price for the whole run (the valuation asset is one): no band needed.
            FixedPriceAssets = assets.Where(a => a.PriceFeed is null).Select(a => a.Id).ToHashSet(StringComparer.Ordinal),
        };
        var pm = $"{RiskRoot}.portfolio";
        var groups = r.ConfigList($"{pm}.groups").Select((g, i) =>
        {
            var gr = new ConfigReader(g);
            try
            {
                return new Risk.Portfolio.CorrelationGroup(gr.String("name"), [.. gr.StringList("assets")], gr.Decimal("range", 0m, 1m, true, true));
            }
            catch (RunInputException e)
            {
                throw new RunInputException($"{pm}.groups[{i}]: {e.Message} ({Origin(g)})", e);
            }
        }).ToList();
        var portfolio = new Risk.Portfolio.PortfolioMarginConfig(
            [.. groups],
            r.Decimal($"{pm}.default-range", 0m, 1m, true, true),
            r.Int($"{pm}.buckets", 2, 1000),
            r.Int($"{pm}.vol-states", 1, 100),
            r.Decimal($"{pm}.extreme-multiple", 0m, null),
            r.Decimal($"{pm}.extreme-coverage", 0m, 1m),
            r.Decimal($"{pm}.position-floor-rate", 0m, 1m),
            r.Decimal($"{pm}.initial-multiplier", 1m, null),
            [.. r.StringList($"{pm}.stable-assets")]);
        var config = new RiskConfig(thresholds, portfolio, r.Decimal($"{RiskRoot}.liquidation.fee-rate", 0m, 1m), strategy, waterfall, bands);
        return config;
    }

    private static MarketMakerSettings ReadMarketMaker(ConfigReader r, RiskCatalog catalog)
    {
        var p = $"{Engine}.market-maker";
        var id = (long)r.Int($"{p}.account-id", 0, 0);
        return new MarketMakerSettings(id, ReadDeposits(r, $"{p}.deposits", catalog));
    }

    private static List<(string Asset, decimal Amount)> ReadDeposits(ConfigReader r, string path, RiskCatalog catalog)
    {
        var deposits = new List<(string, decimal)>();
        foreach (var asset in r.Keys(path).Order(StringComparer.Ordinal))
        {
            if (!catalog.Assets.ContainsKey(asset))
            {
                throw r.Fail($"{path}.\"{asset}\"", $"names an unknown asset; known assets: {string.Join(", ", catalog.Assets.Keys)}");
            }

            var amount = r.Decimal($"{path}.\"{asset}\"", 0m, null);
            if (amount > 0m)
            {
                deposits.Add((asset, amount));
            }
        }

        return deposits;
    }

    private static CoordinatorSettings ReadCoordinator(ConfigReader r, RiskCatalog catalog)
    {
        var p = $"{Engine}.coordinator";
        var asset = r.String($"{p}.insurance-fund.asset");
        if (!catalog.Assets.ContainsKey(asset))
        {
            throw r.Fail($"{p}.insurance-fund.asset", $"must be one of {string.Join(", ", catalog.Assets.Keys)}, got {asset}");
        }

        return new CoordinatorSettings(
            r.Duration($"{p}.round-interval"),
            r.OptionalDecimal($"{p}.notional-cap-per-interval", 0m, null, minOpen: true),
            r.Duration($"{p}.cap-interval"),
            r.Int($"{p}.max-rounds-per-tick", 1, 1_000_000),
            asset,
            r.Decimal($"{p}.insurance-fund.initial", 0m, null));
    }

    private static PopulationSettings ReadPopulation(ConfigReader r, List<InstrumentMarket> instruments, List<AssetMarket> assets)
    {
        var p = $"{Engine}.population";
        var leverage = r.ConfigList($"{p}.leverage").Select((row, i) =>
        {
            var lr = new ConfigReader(row);
            try
            {
                return new Weighted<decimal>(lr.Decimal("leverage", 1m, 1000m), lr.Decimal("weight", 0m, null, minOpen: true));
            }
            catch (RunInputException e)
            {
                throw new RunInputException($"{p}.leverage[{i}]: {e.Message} ({Origin(row)})", e);
            }
        }).ToList();
        if (leverage.Count == 0)
        {
            throw r.Fail($"{p}.leverage", "must hold at least one { leverage, weight } bucket");
        }

        var mix = Weights(r, $"{p}.collateral-mix", assets.Select(a => a.Id).ToList());
        var instrumentWeights = Weights(r, $"{p}.instruments", instruments.Select(i => i.Id).ToList());
        var min = r.Decimal($"{p}.collateral.min", 0m, null, minOpen: true);
        var minPositions = r.Int($"{p}.positions.min", 1, instrumentWeights.Count);
        return new PopulationSettings(
            r.Int($"{p}.accounts", 1, MaxAccounts),
            r.Decimal($"{p}.collateral.median", min, null),
            r.Double($"{p}.collateral.sigma", 0.0, 5.0),
            min,
            r.Decimal($"{p}.collateral.max", min, null),
            leverage,
            mix,
            r.Decimal($"{p}.second-asset-share", 0m, 1m),
            instrumentWeights,
            minPositions,
            r.Int($"{p}.positions.max", minPositions, instrumentWeights.Count),
            r.Decimal($"{p}.long-share", 0m, 1m),
            r.Decimal($"{p}.hedged-share", 0m, 1m),
            r.Decimal($"{p}.hedged-leverage", 1m, 1000m),
            r.Decimal($"{p}.market-maker-share", 0m, 1m));
    }

    private static List<Weighted<string>> Weights(ConfigReader r, string path, List<string> known)
    {
        var result = new List<Weighted<string>>();
        foreach (var key in r.Keys(path).Order(StringComparer.Ordinal))
        {
            if (!known.Contains(key))
            {
                throw r.Fail($"{path}.\"{key}\"", $"names an unknown {(path.EndsWith("mix", StringComparison.Ordinal) ? "asset" : "instrument")}; known: {string.Join(", ", known)}");
            }

            var w = r.Decimal($"{path}.\"{key}\"", 0m, null);
            if (w > 0m)
            {
                result.Add(new Weighted<string>(key, w));
            }
        }

        if (result.Count == 0)
        {
            throw r.Fail(path, "must give at least one positive weight");
        }

        return result;
    }

    private static (decimal Price, decimal Tick) FeedStart(string feed, List<InstrumentMarket> instruments, List<AssetMarket> assets)
    {
        if (instruments.FirstOrDefault(i => i.Id == feed) is { } instrument)
        {
            return (instrument.InitialPrice, instrument.Spec.TickSize);
        }

        var asset = assets.FirstOrDefault(a => a.PriceFeed == feed);
        return asset is null ? (0m, 0m) : (asset.InitialPrice, asset.TickSize);
    }

    private static List<string> Feeds(List<InstrumentMarket> instruments, List<AssetMarket> assets) =>
        [.. instruments.Select(i => i.Id).Concat(assets.Select(a => a.PriceFeed).OfType<string>()).Distinct().Order(StringComparer.Ordinal)];

    private static (Func<ITickSource>, long?) ReadScripted(ConfigReader r, List<InstrumentMarket> instruments, List<AssetMarket> assets, DateTimeOffset start)
    {
        var p = $"{ScenarioRoot}.scripted";
        var interval = r.Duration($"{p}.interval");
        var scripts = new List<ShockScript>();
        var shocks = r.ConfigList($"{p}.shocks");
        if (shocks.Count == 0)
        {
            throw r.Fail($"{p}.shocks", "must hold at least one shock { feed, legs }");
        }

        var feeds = Feeds(instruments, assets);
        for (var i = 0; i < shocks.Count; i++)
        {
            var sp = $"{p}.shocks[{i}]";
            var s = new ConfigReader(shocks[i]);
            try
            {
                var feed = s.String("feed");
                var (price, tick) = FeedStart(feed, instruments, assets);
                if (price == 0m)
                {
                    throw new RunInputException($"feed {feed} is neither an instrument nor an asset's price-feed; known feeds: {string.Join(", ", feeds)}");
                }

                var legs = new List<ShockLeg>();
                var legRows = s.ConfigList("legs");
                if (legRows.Count == 0)
                {
                    throw new RunInputException("legs must hold at least one leg");
                }

                for (var j = 0; j < legRows.Count; j++)
                {
                    var l = new ConfigReader(legRows[j]);
                    try
                    {
                        if (l.Has("hold"))
                        {
                            legs.Add(ShockLeg.Hold(l.Duration("hold")));
                        }
                        else if (l.Has("by-percent"))
                        {
                            legs.Add(ShockLeg.ByPercent(l.Decimal("by-percent", -99.99m, 10_000m), l.Duration("over")));
                        }
                        else if (l.Has("to-price"))
                        {
                            legs.Add(ShockLeg.ToPrice(l.Decimal("to-price", 0m, null, minOpen: true), l.Duration("over")));
                        }
                        else
                        {
                            throw new RunInputException("must set one of by-percent (with over), to-price (with over) or hold");
                        }
                    }
                    catch (RunInputException e)
                    {
                        throw new RunInputException($"legs[{j}]: {e.Message}", e);
                    }
                }

                scripts.Add(new ShockScript(feed, price, start, interval, tick, legs));
            }
            catch (RunInputException e)
            {
                throw new RunInputException($"{sp}: {e.Message} ({Origin(shocks[i])})", e);
            }
            catch (ArgumentException e)
            {
                throw new RunInputException($"{sp}: {e.Message} ({Origin(shocks[i])})", e);
            }
        }

        var total = scripts.Sum(s => 1L + (s.Legs.Sum(l => l.Duration.Ticks) / s.Interval.Ticks));
        var frozen = scripts.ToArray();
        return (() => new ScriptedShockSource(frozen), total);
    }

    private static (Func<ITickSource>, long?) ReadGbm(ConfigReader r, List<InstrumentMarket> instruments, List<AssetMarket> assets, ulong seed, DateTimeOffset start)
    {
        var p = $"{ScenarioRoot}.gbm";
        var step = r.Duration($"{p}.step");
        var steps = r.Int($"{p}.steps", 0, 100_000_000);
        var list = new List<GbmInstrument>();
        var feeds = Feeds(instruments, assets);
        foreach (var feed in r.Keys($"{p}.instruments"))
        {
            var ip = $"{p}.instruments.\"{feed}\"";
            var (price, tick) = FeedStart(feed, instruments, assets);
            if (price == 0m)
            {
                throw r.Fail(ip, $"is neither an instrument nor an asset's price-feed; known feeds: {string.Join(", ", feeds)}");
            }

            list.Add(new GbmInstrument(feed, price, tick,
                r.Double($"{ip}.drift", -1e6, 1e6),
                r.Double($"{ip}.volatility", 0, 100),
                r.Double($"{ip}.jump-intensity", 0, 1e9),
                r.Double($"{ip}.jump-mean", -10, 10),
                r.Double($"{ip}.jump-std-dev", 0, 10)));
        }

        if (list.Count == 0)
        {
            throw r.Fail($"{p}.instruments", "must list at least one feed");
        }

        CorrelationMatrix matrix;
        var cp = $"{p}.correlations";
        if (r.Has(cp))
        {
            var rows = new List<IReadOnlyList<double>>();
            var value = r.Config.GetValue(cp);
            if (value is not HoconArray array)
            {
                throw r.Fail(cp, "must be a list of rows (a square matrix of numbers)");
            }

            for (var i = 0; i < array.Count; i++)
            {
                rows.Add(ReadRow(r, cp, i));
            }

            try
            {
                matrix = new CorrelationMatrix(rows);
            }
            catch (InvalidCorrelationMatrixException e)
            {
                throw r.Fail(cp, e.Message);
            }
        }
        else
        {
            matrix = CorrelationMatrix.Identity(list.Count);
        }

        if (matrix.Size != list.Count)
        {
            throw r.Fail(cp, $"must be {list.Count}x{list.Count} (one row per gbm.instruments entry, in written order), got {matrix.Size}x{matrix.Size}");
        }

        var frozen = list.ToArray();
        try
        {
            _ = new CorrelatedGbmSource(frozen, matrix, seed, start, step, steps);
        }
        catch (ArgumentException e)
        {
            throw new RunInputException($"{p}: {e.Message} ({r.Where(p)})", e);
        }

        return (() => new CorrelatedGbmSource(frozen, matrix, seed, start, step, steps), (long)frozen.Length * (steps + 1L));
    }

    private static double[] ReadRow(ConfigReader r, string path, int row)
    {
        var array = (HoconArray)r.Config.GetValue(path)!;
        if (array[row] is not HoconArray inner)
        {
            throw r.Fail($"{path}[{row}]", "must be a list of numbers");
        }

        var result = new double[inner.Count];
        for (var j = 0; j < inner.Count; j++)
        {
            if (inner[j] is not HoconScalar scalar || !double.TryParse(scalar.Text, NumberStyles.Float, CultureInfo.InvariantCulture, out result[j]))
            {
                throw r.Fail($"{path}[{row}]", $"entry {j} must be a number, got {inner[j]}");
            }
        }

        return result;
    }

    private static (Func<ITickSource>, BookDepthSeries?, int, string?) ReadHistorical(ConfigReader r, List<InstrumentMarket> instruments, bool skipBadRows)
    {
        var p = $"{ScenarioRoot}.historical";
        var files = r.Has($"{p}.ticks") ? r.StringList($"{p}.ticks") : [];
        if (files.Count == 0)
        {
            throw new RunInputException($"scenario historical needs tick files: pass --ticks FILE… (plain time,symbol,price[,volume] CSV, Binance kline or trade CSV) or set {p}.ticks ({r.Where($"{p}.ticks")})");
        }

        foreach (var f in files)
        {
            if (!File.Exists(f))
            {
                throw new RunInputException($"tick file {Path.GetFullPath(f)} does not exist ({p}.ticks, {r.Where($"{p}.ticks")})");
            }
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var key in r.Keys($"{p}.symbol-map"))
        {
            map[key] = r.String($"{p}.symbol-map.\"{key}\"");
        }

        var options = new TickFileOptions
        {
            SkipBadRows = skipBadRows,
            SymbolMap = map,
            KlinePrice = r.Has($"{p}.kline-price") ? r.OneOf($"{p}.kline-price", KlinePrices) : KlinePrice.CloseAtCloseTime,
        };
        var frozen = files.ToArray();
        ITickSource Create() => new MergedTickSource(frozen.Select(f => new TickFile(f, TickFileFormat.Auto, options)));

        BookDepthSeries? depth = null;
        string? depthInstrument = null;
        var band = -1;
        if (r.OptionalString($"{p}.depth-file") is { Length: > 0 } depthFile)
        {
            band = r.Has($"{p}.depth-band") ? r.Int($"{p}.depth-band", -5, 5) : -1;
            depthInstrument = r.OptionalString($"{p}.depth-instrument") ?? instruments[0].Id;
            if (instruments.All(i => i.Id != depthInstrument))
            {
                throw r.Fail($"{p}.depth-instrument", $"must be one of {string.Join(", ", instruments.Select(i => i.Id))}, got {depthInstrument}");
            }

            try
            {
                depth = BookDepthFile.Read(depthFile, skipBadRows);
                if (!depth.Percentages.Contains(band))
                {
                    throw r.Fail($"{p}.depth-band", $"must be a band of the depth file {Path.GetFullPath(depthFile)} ({string.Join(", ", depth.Percentages)}), got {band}");
                }
            }
            catch (FileNotFoundException)
            {
                throw new RunInputException($"depth file {Path.GetFullPath(depthFile)} does not exist ({p}.depth-file, {r.Where($"{p}.depth-file")})");
            }
            catch (TickFileException e)
            {
                throw new RunInputException(e.Message, e);
            }
        }

        return (Create, depth, band, depthInstrument);
    }

    /// <summary>Historical runs start at the files' first prices: reads ticks until every feed has one (or the files end).</summary>
    private static (List<InstrumentMarket>, List<AssetMarket>, DateTimeOffset) FirstPrices(
        ConfigReader r, Func<ITickSource> create, List<InstrumentMarket> instruments, List<AssetMarket> assets, DateTimeOffset start)
    {
        var first = new Dictionary<string, decimal>(StringComparer.Ordinal);
        var wanted = Feeds(instruments, assets).ToHashSet(StringComparer.Ordinal);
        DateTimeOffset? firstTime = null;
        try
        {
            foreach (var tick in create().Ticks())
            {
                firstTime ??= tick.Time;
                if (wanted.Contains(tick.Instrument) && first.TryAdd(tick.Instrument, tick.Price) && first.Count == wanted.Count)
                {
                    break;
                }
            }
        }
        catch (TickFileException e)
        {
            throw new RunInputException(e.Message, e);
        }
        catch (InvalidOperationException e)
        {
            throw new RunInputException($"tick files: {e.Message}", e);
        }

        if (first.Count == 0)
        {
            throw new RunInputException($"the tick files hold no tick for any feed of the scenario ({string.Join(", ", wanted)}); map the files' symbols with {ScenarioRoot}.historical.symbol-map ({r.Where($"{ScenarioRoot}.historical.symbol-map")})");
        }

        var newInstruments = instruments.Select(i => first.TryGetValue(i.Id, out var px) ? i with { InitialPrice = PriceRounding(px, i.Spec.TickSize) } : i).ToList();
        var newAssets = assets.Select(a =>
            a.PriceFeed is { } f && first.TryGetValue(f, out var px) ? a with { InitialPrice = PriceRounding(px, newInstruments.FirstOrDefault(i => i.Id == f)?.Spec.TickSize ?? a.TickSize) } : a).ToList();
        return (newInstruments, newAssets, firstTime ?? start);
    }
}
