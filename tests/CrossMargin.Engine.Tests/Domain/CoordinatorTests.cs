using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using Xunit;
using static CrossMargin.Engine.Tests.Domain.DomainFixture;
using AccountEvent = CrossMargin.Engine.Domain.Events.AccountEvent;

namespace CrossMargin.Engine.Tests.Domain;

public sealed class CoordinatorTests
{
    /// <summary>In-memory ports: accounts in a dictionary, one BTC feed, every event recorded.</summary>
    private sealed class Ports : ILiquidationPorts
    {
        public readonly SortedDictionary<long, EngineAccount> Accounts = new();
        public readonly List<(long Id, AccountEvent Event)> AccountEvents = new();
        public readonly List<CoordinatorEvent> CoordinatorEvents = new();
        public readonly PriceFeed Btc = new("BTC-PERP", 0.1m, new IndexMarkModel(0.1m), new SquareRootImpactModel(new ImpactParameters(0.5m, 0.03m, 100_000m, 0.1m)), null);

        public EngineModel Model => DomainFixture.Model;

        public MarketPrices Prices { get; set; } = DomainFixture.Prices(100_000m);

        public IReadOnlyList<long> AccountIds => Accounts.Keys.ToList();

        public EngineAccount Account(long id) => Accounts[id];

        public void Emit(long id, AccountEvent e)
        {
            Accounts[id] = AccountLogic.Apply(Accounts[id], e, Model);
            AccountEvents.Add((id, e));
        }

        public void Emit(CoordinatorEvent e) => CoordinatorEvents.Add(e);

        public PriceFeed? Feed(string instrument) => instrument == "BTC-PERP" ? Btc : null;

        public void Open(long id, decimal usdt, decimal size)
        {
            Accounts[id] = Accept(EngineAccount.Empty(id, MarginMode.Cross), new Deposit(id, 1, "USDT", usdt), Prices);
        }

        public void Trade(long id, decimal size)
        {
            Emit(id, new TradeFilled(2, "BTC-PERP", size, 100_000m, 0m, 0));
            Emit(0, new TradeFilled(2, "BTC-PERP", -size, 100_000m, 0m, id));
        }

        public decimal OpenInterest(int sign) => Accounts.Values.Sum(a => a.Account.Positions.TryGetValue("BTC-PERP", out var p) && Math.Sign(p.Size) == sign ? Math.Abs(p.Size) : 0m);
    }

    private static Ports Setup()
    {
        var ports = new Ports();
        ports.Btc.OnIndex(0, 100_000m);
        ports.Open(0, 100_000_000m, 0m);
        ports.Open(1, 1000m, 0m);
        ports.Open(2, 1000m, 0m);
        ports.Trade(1, 0.1m);   // 10x long
        ports.Trade(2, -0.05m); // 5x short
        return ports;
    }

    [Fact]
    public void Round_should_liquidate_against_the_market_maker_keeping_open_interest_balanced()
    {
        var ports = Setup();
        ports.Prices = Prices(90_700m); // account 1: equity 70 < MM ≈ 907
        ports.Btc.OnIndex(1, 90_700m);
        var coordinator = new LiquidationCoordinatorLogic(CoordinatorLimits.Default);
        coordinator.Apply(new InsuranceFundSeeded(10_000m));
        coordinator.Request(1, RiskState.Liquidating, 10m);
        var outcome = coordinator.RunRound(1, ports);
        Assert.True(outcome.Executed);
        Assert.Equal(1, coordinator.Round);
        Assert.Contains(1L, outcome.Touched);
        Assert.Equal(ports.OpenInterest(1), ports.OpenInterest(-1));
        Assert.IsType<CascadeRoundStarted>(ports.CoordinatorEvents[0]);
        Assert.Contains(ports.AccountEvents, e => e.Id == 0 && e.Event is LiquidationFilled or WaterfallSettled);
    }

    [Fact]
    public void Severity_queue_should_serve_the_worse_account_first()
    {
        var ports = Setup();
        ports.Open(3, 1005m, 0m);
        ports.Trade(3, 0.1m);
        ports.Prices = Prices(90_800m); // equity: account 1 80, account 3 85, both below MM 90.8
        ports.Btc.OnIndex(1, 90_800m);
        var coordinator = new LiquidationCoordinatorLogic(CoordinatorLimits.Default);
        coordinator.Request(3, RiskState.Liquidating, 5m);
        coordinator.Request(1, RiskState.Liquidating, 9m);
        coordinator.RunRound(1, ports);
        var first = ports.AccountEvents.First(e => e.Id != 0 && e.Event is LiquidationFilled or WaterfallSettled);
        Assert.Equal(1, first.Id);
    }

    [Fact]
    public void A_queued_request_should_keep_its_severity_until_its_state_changes()
    {
        // How often a waiting account is re-margined depends on its band widths; the order it is served in must not.
        Ports Queued(Action<LiquidationCoordinatorLogic> requests)
        {
            var ports = Setup();
            ports.Open(3, 1005m, 0m);
            ports.Trade(3, 0.1m);
            ports.Prices = Prices(90_800m);
            ports.Btc.OnIndex(1, 90_800m);
            var coordinator = new LiquidationCoordinatorLogic(CoordinatorLimits.Default);
            coordinator.Request(3, RiskState.Liquidating, 5m);
            coordinator.Request(1, RiskState.Liquidating, 9m);
            requests(coordinator);
            coordinator.RunRound(1, ports);
            return ports;
        }

        long First(Ports ports) => ports.AccountEvents.First(e => e.Id != 0 && e.Event is LiquidationFilled or WaterfallSettled).Id;

        Assert.Equal(1, First(Queued(c => c.Request(3, RiskState.Liquidating, 50m)))); // same state: queued severity kept
        Assert.Equal(3, First(Queued(c => c.Request(3, RiskState.Backstop, 50m)))); // worse state: re-prioritised
    }

    [Fact]
    public void Bankrupt_account_should_go_through_the_waterfall_with_the_fund_covering_the_deficit()
    {
        var ports = Setup();
        ports.Prices = Prices(88_000m); // account 1 loses 1,200 on 1,000: deficit ≈ 200
        ports.Btc.OnIndex(1, 88_000m);
        var coordinator = new LiquidationCoordinatorLogic(CoordinatorLimits.Default);
        coordinator.Apply(new InsuranceFundSeeded(10_000m));
        coordinator.Request(1, RiskState.Bankrupt, 1_000_000m);
        coordinator.RunRound(1, ports);
        var resolved = Assert.Single(ports.CoordinatorEvents.OfType<BankruptcyResolved>());
        Assert.Equal(200m, resolved.Deficit);
        Assert.Equal(200m, resolved.Insurance);
        Assert.Equal(0m, resolved.Unassigned);
        Assert.Equal(9_800m, coordinator.InsuranceFund);
        Assert.False(ports.Accounts[1].HasPositions);
        Assert.Equal(ports.OpenInterest(1), ports.OpenInterest(-1));
    }

    [Fact]
    public void Close_out_absorbed_by_the_market_maker_should_count_in_the_rounds_net_flow()
    {
        var ports = Setup();
        ports.Prices = Prices(88_000m);
        ports.Btc.OnIndex(1, 88_000m);
        var coordinator = new LiquidationCoordinatorLogic(CoordinatorLimits.Default);
        coordinator.Apply(new InsuranceFundSeeded(10_000m));
        var size = ports.Accounts[1].Account.Positions["BTC-PERP"].Size;
        coordinator.Request(1, RiskState.Bankrupt, 1_000_000m);
        var outcome = coordinator.RunRound(1, ports);
        Assert.Empty(ports.CoordinatorEvents.OfType<LiquidationExecuted>());
        var flow = Assert.Single(outcome.NetFlow, f => f.Key == "BTC-PERP");
        Assert.Equal(-size, flow.Value); // a long closed out is sold into the book
    }

    [Fact]
    public void Request_for_the_market_maker_should_be_ignored()
    {
        var coordinator = new LiquidationCoordinatorLogic(CoordinatorLimits.Default);
        coordinator.Request(EngineIds.MarketMaker, RiskState.Bankrupt, 1m);
        Assert.Equal(0, coordinator.Pending);
    }
}
