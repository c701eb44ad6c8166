using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using Xunit;
using static CrossMargin.Engine.Tests.Domain.DomainFixture;
using AccountEvent = CrossMargin.Engine.Domain.Events.AccountEvent;

namespace CrossMargin.Engine.Tests.Domain;

/// <summary>
/// ADL candidates from the holder index and a bounded top-k equal the full scan and sort they replace: the same
/// waterfalls, event for event, in a round with several bankruptcies whose deficits pass the insurance fund.
/// </summary>
public sealed class AdlCandidateIndexTests
{
    private const string Btc = "BTC-PERP";

    /// <summary>Where ADL's candidate pool comes from.</summary>
    public enum Pool
    {
        /// <summary>The interface's default scan of every account.</summary>
        Scan,

        /// <summary>The holder index's list, ranked exactly.</summary>
        IndexList,

        /// <summary>The holder index narrowed in floating point (<see cref="HolderIndex.Contenders"/>), then ranked exactly.</summary>
        IndexContenders,
    }

    /// <summary>Ports over a dictionary; the holders come from the scan or the <see cref="HolderIndex"/> as <paramref name="pool"/> says.</summary>
    private sealed class Ports(Pool pool) : ILiquidationPorts
    {
        private readonly HolderIndex _index = new();
        public readonly SortedDictionary<long, EngineAccount> Accounts = new();
        public readonly List<object> Events = new();
        public readonly PriceFeed Feed0 = new(Btc, 0.1m, new IndexMarkModel(0.1m), new SquareRootImpactModel(new ImpactParameters(0.5m, 0.03m, 100_000m, 0.1m)), null);

        public EngineModel Model => DomainFixture.Model;

        public MarketPrices Prices { get; set; } = DomainFixture.Prices(100_000m);

        public IReadOnlyList<long> AccountIds => Accounts.Keys.ToList();

        public EngineAccount Account(long id) => Accounts[id];

        public IEnumerable<(long Id, Position Position)> Holders(string instrument, int side) =>
            pool != Pool.Scan ? _index.Of(instrument, side) : ((ILiquidationPorts)new ScanOnly(this)).Holders(instrument, side);

        public HolderIndex? HolderIndex => pool == Pool.IndexContenders ? _index : null;

        public void Emit(long id, AccountEvent e)
        {
            var before = Accounts[id].Account.Positions;
            Accounts[id] = AccountLogic.Apply(Accounts[id], e, Model);
            _index.Update(id, before, Accounts[id].Account.Positions);
            Events.Add((id, e));
        }

        public void Emit(CoordinatorEvent e) => Events.Add(e);

        public PriceFeed? Feed(string instrument) => instrument == Btc ? Feed0 : null;

        public void Open(long id, decimal usdt) => Accounts[id] = Accept(EngineAccount.Empty(id, MarginMode.Cross), new Deposit(id, 1, "USDT", usdt), Prices);

        public void Trade(long id, decimal size, decimal price)
        {
            Emit(id, new TradeFilled(2, Btc, size, price, 0m, 0));
            Emit(0, new TradeFilled(2, Btc, -size, price, 0m, id));
        }
    }

    /// <summary>The interface's default holder scan over another port's accounts.</summary>
    private sealed class ScanOnly(Ports inner) : ILiquidationPorts
    {
        public EngineModel Model => inner.Model;

        public MarketPrices Prices => inner.Prices;

        public IReadOnlyList<long> AccountIds => inner.AccountIds;

        public EngineAccount Account(long id) => inner.Account(id);

        public void Emit(long id, AccountEvent e) => throw new NotSupportedException();

        public void Emit(CoordinatorEvent e) => throw new NotSupportedException();

        public PriceFeed? Feed(string instrument) => inner.Feed(instrument);
    }

    private static Ports Book(Pool pool)
    {
        var ports = new Ports(pool);
        ports.Feed0.OnIndex(0, 100_000m);
        ports.Open(0, 100_000_000m);
        var random = new Random(7);
        for (long id = 1; id <= 60; id++)
        {
            ports.Open(id, 1_000m + random.Next(0, 4_000));
            // Shorts opened at scattered prices (different PnL when the price falls), a few longs, and ties in entry price.
            var size = id <= 6 ? 0.1m : -(0.01m * random.Next(1, 5));
            var price = id % 5 == 0 ? 100_000m : 95_000m + (100m * random.Next(0, 100));
            ports.Trade(id, size, price);
        }

        // Some accounts flip or close, so the index has seen removals and side changes.
        ports.Trade(20, 0.08m, 100_000m);
        ports.Trade(21, 0.02m, 100_000m);
        return ports;
    }

    [Fact]
    public void A_round_of_bankruptcies_past_the_fund_should_deleverage_the_same_accounts_with_the_index_as_with_the_scan()
    {
        var results = new List<List<object>>();
        foreach (var pool in new[] { Pool.Scan, Pool.IndexList, Pool.IndexContenders })
        {
            var ports = Book(pool);
            ports.Prices = Prices(86_000m);
            ports.Feed0.OnIndex(1, 86_000m);
            var coordinator = new LiquidationCoordinatorLogic(CoordinatorLimits.Default with { AdlCandidatesPerSide = 8 });
            coordinator.Apply(new InsuranceFundSeeded(0m));
            for (long id = 1; id <= 6; id++)
            {
                coordinator.Request(id, RiskState.Bankrupt, 1_000_000m - id);
            }

            ports.Events.Clear();
            coordinator.RunRound(1, ports);
            results.Add(ports.Events);
        }

        Assert.Contains(results[0], e => e is (long, WaterfallSettled { Role: "counterparty" }));
        Assert.Contains(results[0], e => e is BankruptcyResolved { AdlFills: > 0 });

        // Events hold arrays (record equality compares them by reference): compare their journal form.
        var serializer = EngineSerialization.Create();
        string Row(object e) => e is (long id, AccountEvent a)
            ? $"{id}:{Convert.ToBase64String(serializer.Serialize(a).Payload)}"
            : Convert.ToBase64String(serializer.Serialize(e).Payload);
        Assert.Equal(results[0].Select(Row), results[1].Select(Row));
        Assert.Equal(results[0].Select(Row), results[2].Select(Row));
    }

    [Theory]
    [InlineData(InstrumentKind.LinearPerpetual)]
    [InlineData(InstrumentKind.InversePerpetual)]
    public void Contenders_should_hold_the_exact_top_k_of_the_pool_whatever_the_ties_and_skips(InstrumentKind kind)
    {
        var spec = new InstrumentSpec("X-PERP", kind, "X", kind == InstrumentKind.LinearPerpetual ? "USDT" : "X", kind == InstrumentKind.LinearPerpetual ? 1m : 100m, 0.5m, 1m, DomainFixture.Btc.Margin);
        var random = new Random(23);
        for (var trial = 0; trial < 300; trial++)
        {
            var index = new HolderIndex();
            var flat = System.Collections.Immutable.ImmutableSortedDictionary<string, Position>.Empty;
            var side = trial % 2 == 0 ? 1 : -1;
            var positions = new Dictionary<long, Position>();
            var count = random.Next(0, 80);
            for (long id = 1; id <= count; id++)
            {
                // Few distinct sizes and entry prices: many exact ties in uPnL, which the id must break.
                var size = side * random.Next(1, 4) * (random.Next(0, 3) == 0 ? 1_000_000m : 1m);
                var entry = 20_000m + (500m * random.Next(0, 5)) + (random.Next(0, 4) == 0 ? 0.0000001m : 0m);
                var cost = kind == InstrumentKind.LinearPerpetual ? size * entry : size / entry;
                positions[id] = new Position("X-PERP", size, cost);
                index.Update(id, flat, flat.Add("X-PERP", positions[id]));
            }

            var mark = 19_000m + (250m * random.Next(0, 9));
            var k = random.Next(0, 12);
            var excluded = (long)random.Next(0, 10);
            var skip = Enumerable.Range(0, random.Next(0, 6)).Select(_ => (long)random.Next(1, 40)).ToHashSet();
            var contenders = new List<(long Id, Position Position)>();
            index.Contenders("X-PERP", side, spec, mark, k, excluded, skip, contenders);

            var top = new TopCandidates(k);
            foreach (var (id, p) in contenders)
            {
                top.Offer(Risk.Margin.PositionMath.UnrealizedPnl(spec, p, mark), id);
            }

            var expected = positions.Where(p => p.Key != excluded && !skip.Contains(p.Key))
                .Select(p => (Pnl: Risk.Margin.PositionMath.UnrealizedPnl(spec, p.Value, mark), Id: p.Key))
                .OrderByDescending(o => o.Pnl).ThenBy(o => o.Id).Take(k).Select(o => o.Id).ToList();
            Assert.Equal(expected, top.Ranked());
            Assert.DoesNotContain(contenders, c => c.Id == excluded || skip.Contains(c.Id));
        }
    }

    [Fact]
    public void Contenders_should_be_just_the_top_k_when_every_pnl_is_distinct()
    {
        var index = new HolderIndex();
        var flat = System.Collections.Immutable.ImmutableSortedDictionary<string, Position>.Empty;
        for (long id = 1; id <= 1_000; id++)
        {
            var entry = 90_000m + (7m * id); // shorts: the lower the entry, the lower the PnL when the price falls
            index.Update(id, flat, flat.Add(Btc, new Position(Btc, -0.01m, -0.01m * entry)));
        }

        var contenders = new List<(long Id, Position Position)>();
        index.Contenders(Btc, -1, DomainFixture.Btc, 80_000m, 8, excluded: 0, skip: null, contenders);
        Assert.Equal(Enumerable.Range(993, 8).Select(i => (long)i), contenders.Select(c => c.Id).Order());
    }

    [Fact]
    public void Top_candidates_should_equal_sorting_every_offer_and_taking_the_first_k()
    {
        var random = new Random(11);
        for (var trial = 0; trial < 200; trial++)
        {
            var k = random.Next(0, 12);
            var offers = Enumerable.Range(0, random.Next(0, 60))
                .Select(_ => ((decimal)random.Next(-5, 6) / 4m, (long)random.Next(0, 40))) // many ties in PnL
                .DistinctBy(o => o.Item2)
                .ToList();
            var top = new TopCandidates(k);
            foreach (var (pnl, id) in offers)
            {
                top.Offer(pnl, id);
            }

            var expected = offers.OrderByDescending(o => o.Item1).ThenBy(o => o.Item2).Take(k).Select(o => o.Item2).ToList();
            Assert.Equal(expected, top.Ranked());
        }
    }

    [Fact]
    public void Holder_index_should_follow_opens_flips_and_closes()
    {
        var index = new HolderIndex();
        var flat = System.Collections.Immutable.ImmutableSortedDictionary<string, Position>.Empty;
        var longOne = flat.Add(Btc, new Position(Btc, 1m, 100m));
        var longTwo = flat.Add(Btc, new Position(Btc, 2m, 200m));
        var shortOne = flat.Add(Btc, new Position(Btc, -1m, -100m));
        index.Update(1, flat, longOne);
        index.Update(2, flat, longOne);
        index.Update(1, longOne, longTwo);
        Assert.Equal([(1L, 2m), (2L, 1m)], index.Of(Btc, 1).Select(h => (h.Id, h.Position.Size)).OrderBy(h => h.Item1));
        index.Update(1, longTwo, shortOne);
        Assert.Equal([2L], index.Of(Btc, 1).Select(h => h.Id));
        Assert.Equal([1L], index.Of(Btc, -1).Select(h => h.Id));
        index.Update(2, longOne, flat);
        Assert.Empty(index.Of(Btc, 1));
        Assert.Empty(index.Of("ETH-PERP", 1));
    }
}
