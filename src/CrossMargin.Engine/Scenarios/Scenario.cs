using CrossMargin.Engine.Feeds;
using CrossMargin.Hocon;
using CrossMargin.Risk;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// A fully resolved, validated run description: everything the engine needs to build its actors, seed the
/// accounts and feed prices. Built by <see cref="ScenarioLoader.Load(CrossMargin.Hocon.Config, ScenarioOverrides)"/>. Immutable and thread-safe, except that each
/// <see cref="CreateTickSource"/> call returns a new source to be enumerated by one thread.
/// </summary>
public sealed record Scenario
{
    /// <summary>Short name (<c>crossmargin.scenario.name</c>), e.g. <c>crash</c>.</summary>
    public required string Name { get; init; }

    /// <summary>One-paragraph description for reports and <c>--help</c>.</summary>
    public required string Description { get; init; }

    /// <summary>Where the scenario came from: the built-in file name (<c>crash.conf</c>), a file path, or <c>configuration</c>.</summary>
    public required string Source { get; init; }

    /// <summary>Margin mode of every trading account (the market maker is always cross).</summary>
    public required MarginMode MarginMode { get; init; }

    /// <summary>Seed of every random choice (population, GBM paths).</summary>
    public required ulong Seed { get; init; }

    /// <summary>Virtual time of the seeding and of the first tick (UTC).</summary>
    public required DateTimeOffset StartTime { get; init; }

    /// <summary>Asset all money is valued in (<c>USDT</c>); its price is 1.</summary>
    public required string ValuationAsset { get; init; }

    /// <summary>Instrument and asset specs for the risk core.</summary>
    public required RiskCatalog Catalog { get; init; }

    /// <summary>Risk parameters (<c>crossmargin.risk</c>): thresholds, liquidation fee and strategy, loss waterfall, bands, portfolio grid.</summary>
    public required RiskConfig Risk { get; init; }

    /// <summary>Per-instrument market settings, ordered by instrument id.</summary>
    public required IReadOnlyList<InstrumentMarket> Instruments { get; init; }

    /// <summary>Collateral assets, ordered by asset id.</summary>
    public required IReadOnlyList<AssetMarket> Assets { get; init; }

    /// <summary>Marks and asset prices before the first tick (historical: the files' first prices).</summary>
    public required MarketPrices InitialPrices { get; init; }

    /// <summary>Liquidation coordinator limits and the insurance fund's start.</summary>
    public required CoordinatorSettings Coordinator { get; init; }

    /// <summary>The market maker's id and collateral.</summary>
    public required MarketMakerSettings MarketMaker { get; init; }

    /// <summary>How the population was generated.</summary>
    public required PopulationSettings PopulationSettings { get; init; }

    /// <summary>The generated accounts and the market maker, every trade matched.</summary>
    public required Population Population { get; init; }

    /// <summary>Kind of price source.</summary>
    public required TickSourceKind SourceKind { get; init; }

    /// <summary>Creates a fresh tick source (each call starts from the beginning; enumerate from one thread).</summary>
    public required Func<ITickSource> CreateTickSource { get; init; }

    /// <summary>Number of ticks the source will produce when known (scripted, GBM); null for files.</summary>
    public long? TotalTicks { get; init; }

    /// <summary>Historical scenarios with a depth file: the book depth series; <see cref="DepthInstrument"/>'s <see cref="InstrumentMarket.RecordedDepth"/> reads it for the impact law.</summary>
    public BookDepthSeries? Depth { get; init; }

    /// <summary>Which depth band (<c>-1</c> = bids within 1%) <see cref="Depth"/> is read at.</summary>
    public int DepthBand { get; init; } = -1;

    /// <summary>Instrument whose depth <see cref="Depth"/> describes (other instruments keep their thinning model).</summary>
    public string? DepthInstrument { get; init; }

    /// <summary>Journal knobs from <c>crossmargin.persistence</c> (batch size, snapshot interval); not part of <see cref="ConfigText"/>'s meaning: they change how, not what, a run journals.</summary>
    public JournalSettings Journal { get; init; } = JournalSettings.Default;

    /// <summary>Every price-feed symbol: instrument ids and the price-only feeds of assets, ordinal order.</summary>
    public IReadOnlyList<string> FeedSymbols =>
        [.. Instruments.Select(i => i.Id).Concat(Assets.Select(a => a.PriceFeed).OfType<string>()).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The resolved configuration the scenario was built from (the whole tree, reference defaults included).</summary>
    public required Config Config { get; init; }

    /// <summary>
    /// The resolved <c>crossmargin.engine</c>, <c>crossmargin.risk</c> and <c>crossmargin.scenario</c> sections as HOCON
    /// (JSON) text, seed and population count included: journal it and reload with
    /// <c>ScenarioLoader.Load(ConfigurationFactory.ParseString(text), overrides)</c> to re-create this scenario exactly.
    /// </summary>
    public required string ConfigText { get; init; }

    /// <summary>The instrument <paramref name="id"/>; throws <see cref="KeyNotFoundException"/> naming it when unknown.</summary>
    public InstrumentMarket Instrument(string id) =>
        Instruments.FirstOrDefault(i => i.Id == id) ?? throw new KeyNotFoundException($"scenario {Name} has no instrument {id}");
}
