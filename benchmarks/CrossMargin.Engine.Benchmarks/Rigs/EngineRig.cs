using CrossMargin.Engine.Bands;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;

namespace CrossMargin.Engine.Benchmarks.Rigs;

/// <summary>
/// One in-process engine (<see cref="EngineHost"/>) over the <c>crash</c> scenario's population, seeded and with every
/// account classified and registered in the band index, journaling into a <see cref="DiscardJournal"/>. Ticks go to the
/// first instrument; each tick advances simulated time by 1 ms. Single-threaded, like the engine.
/// </summary>
public sealed class EngineRig
{
    private long _micros;

    private EngineRig(Scenario scenario, EngineHost host)
    {
        Scenario = scenario;
        Host = host;
        Instrument = scenario.Instruments[0].Id;
        Feed = host.Feeds[Instrument];
        OpeningIndex = scenario.Instruments[0].InitialPrice;
        _micros = UnixTime.ToMicros(host.Now);
    }

    public Scenario Scenario { get; }

    public EngineHost Host { get; }

    /// <summary>The instrument every tick goes to (the scenario's first).</summary>
    public string Instrument { get; }

    public PriceFeed Feed { get; }

    /// <summary>The opening index of the instrument (the price the population was seeded at).</summary>
    public decimal OpeningIndex { get; }

    /// <summary>Accounts in the population (the market maker is extra).</summary>
    public int Accounts => Host.AccountIds.Count - 1;

    /// <summary>Builds and seeds an engine with <paramref name="accounts"/> accounts (seed 42); takes about a second per 5,000 accounts.</summary>
    /// <param name="accounts">Population size.</param>
    /// <param name="remarginEveryone">The reference path: every account re-margins on every tick (no band index).</param>
    public static EngineRig Create(int accounts, bool remarginEveryone = false)
    {
        var scenario = ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides { Scenario = "crash", Accounts = accounts, Seed = 42 });
        var clock = new SimulationClock(scenario.StartTime);
        var writer = new JournalWriter(new DiscardJournal(), EngineSerialization.Create(), "engine-benchmark");
        var host = new EngineHost(scenario, writer, clock);
        host.Seed();
        host.RegisterAll();
        host.RemarginEveryAccount = remarginEveryone;
        return new EngineRig(scenario, host);
    }

    /// <summary>The index <paramref name="relativeMove"/> away from the opening index (0.01 = +1%), on the feed's tick grid.</summary>
    public decimal IndexAt(decimal relativeMove)
    {
        var tick = Feed.TickSize;
        return Math.Round(OpeningIndex * (1m + relativeMove) / tick, MidpointRounding.ToEven) * tick;
    }

    /// <summary>One index tick on <see cref="Instrument"/>: journaled, woken accounts re-margined, cascade rounds run.</summary>
    public void Tick(decimal index)
    {
        _micros += 1_000;
        Host.OnTick(new Tick(Instrument, UnixTime.FromMicros(_micros), index));
    }

    /// <summary>Simulated time now, µs since the Unix epoch.</summary>
    public long NowMicros => _micros;

    /// <summary>
    /// Ticks <paramref name="index"/> and returns the accounts the tick's band check woke (those whose registered band,
    /// read just before, does not contain the new mark or index). O(accounts): for calibration, never timed.
    /// </summary>
    public List<long> TickAndListWoken(decimal index)
    {
        var before = new List<(long Id, Band? Mark, Band? Asset)>(Host.AccountIds.Count);
        foreach (var id in Host.AccountIds)
        {
            before.Add((id, Feed.Bands.TryGetBand(id, out var m) ? m : null, Feed.AssetBands.TryGetBand(id, out var a) ? a : null));
        }

        Tick(index);
        var woken = new List<long>();
        foreach (var (id, mark, asset) in before)
        {
            if ((mark is { } m && !m.Contains(Feed.Mark)) || (asset is { } a && !a.Contains(Feed.Index)))
            {
                woken.Add(id);
            }
        }

        return woken;
    }

    /// <summary>The plain way to re-margin <paramref name="ids"/> at the current prices: a loop over the risk core, no index, no journal.</summary>
    public int PlainRemargin(IReadOnlyList<long> ids)
    {
        var changed = 0;
        var model = Host.Model;
        var prices = Host.Prices;
        foreach (var id in ids)
        {
            if (AccountLogic.Remargin(Host.Account(id), model, prices, _micros).Changed is not null)
            {
                changed++;
            }
        }

        return changed;
    }
}
