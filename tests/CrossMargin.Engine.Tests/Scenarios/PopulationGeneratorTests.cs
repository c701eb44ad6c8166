using CrossMargin.Engine.Scenarios;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using static CrossMargin.Engine.Tests.Scenarios.ScenarioFixtures;

namespace CrossMargin.Engine.Tests.Scenarios;

public sealed class PopulationGeneratorTests
{
    private static readonly Lazy<Scenario> Crash = new(() => Load("crash", accounts: 4_000));

    [Fact]
    public void The_same_seed_should_give_an_identical_population()
    {
        var a = Load("crash", accounts: 500, seed: 11);
        var b = Load("crash", accounts: 500, seed: 11);
        Assert.Equal(Fingerprint(a.Population), Fingerprint(b.Population));
    }

    [Fact]
    public void A_different_seed_should_give_a_different_population()
    {
        var a = Load("crash", accounts: 500, seed: 11);
        var b = Load("crash", accounts: 500, seed: 12);
        Assert.NotEqual(Fingerprint(a.Population), Fingerprint(b.Population));
    }

    [Theory]
    [InlineData(MarginMode.Cross)]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Portfolio)]
    public void Every_trade_should_be_matched_so_open_interest_balances(MarginMode mode)
    {
        var scenario = Load("crash", accounts: 1_000, mode: mode);
        foreach (var instrument in scenario.Instruments)
        {
            var sum = scenario.Population.All().SelectMany(s => s.Trades).Where(t => t.Instrument == instrument.Id).Sum(t => t.Size);
            Assert.Equal(0m, sum);
            Assert.Equal(scenario.Population.LongOpenInterest(instrument.Id), scenario.Population.ShortOpenInterest(instrument.Id));
            Assert.True(scenario.Population.LongOpenInterest(instrument.Id) > 0m);
        }

        // Each side names the other, with the opposite size at the same price.
        var byAccount = scenario.Population.All().ToDictionary(s => s.AccountId);
        foreach (var seed in scenario.Population.Accounts)
        {
            foreach (var t in seed.Trades)
            {
                Assert.NotEqual(seed.AccountId, t.CounterpartyId);
                Assert.Contains(byAccount[t.CounterpartyId].Trades, m => m.CounterpartyId == seed.AccountId && m.Instrument == t.Instrument && m.Size == -t.Size && m.Price == t.Price);
            }
        }
    }

    [Fact]
    public void Accounts_should_mostly_trade_with_each_other_and_the_market_maker_takes_the_rest()
    {
        var trades = Crash.Value.Population.Accounts.SelectMany(a => a.Trades).ToList();
        var withMarketMaker = trades.Count(t => t.CounterpartyId == 0);
        Assert.InRange(withMarketMaker, 1, trades.Count / 2);
        Assert.Equal(withMarketMaker, Crash.Value.Population.MarketMaker.Trades.Count);
    }

    [Theory]
    [InlineData(MarginMode.Cross)]
    [InlineData(MarginMode.Isolated)]
    [InlineData(MarginMode.Portfolio)]
    public void Every_account_should_pass_initial_margin_at_the_start(MarginMode mode)
    {
        var scenario = Load("crash", accounts: 1_500, mode: mode);
        foreach (var seed in scenario.Population.All())
        {
            var risk = Evaluate(scenario, seed);
            Assert.True(seed.Trades.Count > 0, $"account {seed.AccountId} has no position");
            if (mode == MarginMode.Isolated && seed.AccountId != 0)
            {
                Assert.True(risk.CollateralValue >= 0m, $"account {seed.AccountId}: pool {risk.CollateralValue} went negative");
                Assert.All(risk.Positions, p => Assert.True(p.IsolatedEquity >= p.Initial, $"account {seed.AccountId} {p.InstrumentId}: isolated margin {p.IsolatedEquity} < IM {p.Initial}"));
            }
            else
            {
                Assert.True(risk.Equity >= risk.Initial, $"account {seed.AccountId} ({seed.Mode}): equity {risk.Equity} < initial margin {risk.Initial}");
            }

            foreach (var t in seed.Trades)
            {
                var spec = scenario.Catalog.Instrument(t.Instrument);
                Assert.Equal(0m, t.Size % spec.LotSize);
                Assert.Equal(scenario.Instrument(t.Instrument).InitialPrice, t.Price);
            }
        }
    }

    [Fact]
    public void Long_share_should_be_roughly_as_configured()
    {
        // Directional positions only: hedged books are one long and one short by construction.
        var directional = Crash.Value.Population.Accounts.Where(a => !IsHedged(Crash.Value, a)).SelectMany(a => a.NetPositions()).ToList();
        var longShare = directional.Count(p => p.Size > 0m) / (decimal)directional.Count;
        Assert.InRange(longShare, 0.57m, 0.63m);
    }

    [Fact]
    public void Hedged_share_should_be_roughly_as_configured()
    {
        var hedged = Crash.Value.Population.Accounts.Count(a => IsHedged(Crash.Value, a)) / (decimal)Crash.Value.Population.Count;
        Assert.InRange(hedged, 0.08m, 0.13m);
        var spot = Crash.Value.Population.Accounts.Count(a => a.Deposits.Count == 1 && a.NetPositions() is [var p] && p.Size < 0m
            && Crash.Value.Catalog.Instrument(p.Instrument).Underlying == a.Deposits[0].Asset);
        Assert.InRange(spot, 100, 300); // about half of the hedged 10% of 4,000
    }

    [Fact]
    public void Leverage_should_follow_the_buckets_and_stay_within_the_brackets()
    {
        var scenario = Crash.Value;
        var leverages = scenario.Population.Accounts.Where(a => !IsHedged(scenario, a)).Select(a =>
        {
            var risk = Evaluate(scenario, a);
            return risk.Notional / risk.Equity;
        }).ToList();
        Assert.All(leverages, l => Assert.True(l <= 100m, $"leverage {l}"));
        var high = leverages.Count(l => l > 30m) / (decimal)leverages.Count;
        Assert.InRange(high, 0.04m, 0.15m); // buckets 50x and 100x weigh 15%, but the brackets cap most of them below 50x
        var low = leverages.Count(l => l < 3.5m) / (decimal)leverages.Count;
        Assert.InRange(low, 0.15m, 0.25m); // buckets 2x and 3x weigh 20%
    }

    [Fact]
    public void Positions_per_account_should_span_one_to_five()
    {
        var counts = Crash.Value.Population.Accounts.Select(a => a.NetPositions().Count).ToList();
        Assert.Equal(1, counts.Min());
        Assert.Equal(5, counts.Max());
    }

    [Fact]
    public void Collateral_should_follow_the_mix()
    {
        var accounts = Crash.Value.Population.Accounts;
        decimal Share(string asset) => accounts.Count(a => a.Deposits.Any(d => d.Asset == asset)) / (decimal)accounts.Count;
        Assert.InRange(Share("USDT"), 0.55m, 0.72m);
        Assert.InRange(Share("USDE"), 0.12m, 0.25m);
        Assert.True(Share("BTC") > 0.12m);
        Assert.True(Share("XRP") < 0.02m); // only spot hedges hold XRP: it is not in the mix
    }

    [Fact]
    public void Isolated_accounts_should_post_settlement_asset_margin_on_every_trade()
    {
        var scenario = Load("crash", accounts: 300, mode: MarginMode.Isolated);
        Assert.All(scenario.Population.Accounts, a =>
        {
            Assert.Equal("USDT", Assert.Single(a.Deposits).Asset);
            Assert.All(a.Trades, t => Assert.True(t.IsolatedMargin > 0m));
        });
        Assert.All(scenario.Population.MarketMaker.Trades, t => Assert.Equal(0m, t.IsolatedMargin));
    }

    [Fact]
    public void The_crash_should_push_many_accounts_below_maintenance_and_some_into_bad_debt()
    {
        // Without any cascade impact, the scripted bottom alone must already hurt: the engine adds the cascade on top.
        var scenario = Crash.Value;
        var bottom = scenario.InitialPrices.WithMark("BTC-PERP", 84_700m).WithPrice("BTC", 84_700m);
        int liquidatable = 0, bankrupt = 0;
        foreach (var seed in scenario.Population.Accounts)
        {
            var risk = Evaluate(scenario, seed, bottom);
            liquidatable += risk.Equity < risk.Maintenance ? 1 : 0;
            bankrupt += risk.Equity < 0m ? 1 : 0;
        }

        Assert.InRange(liquidatable, scenario.Population.Count / 10, scenario.Population.Count * 6 / 10);
        Assert.True(bankrupt > scenario.Population.Count / 50, $"only {bankrupt} accounts end with negative equity");
        Assert.True(Evaluate(scenario, scenario.Population.MarketMaker, bottom).Equity > 0m);
    }

    private static bool IsHedged(Scenario scenario, AccountSeed a)
    {
        var net = a.NetPositions();
        if (net is [var only] && only.Size < 0m && a.Deposits.Count == 1 && scenario.Catalog.Instrument(only.Instrument).Underlying == a.Deposits[0].Asset)
        {
            return true;
        }

        if (net is [var x, var y] && Math.Sign(x.Size) != Math.Sign(y.Size))
        {
            var nx = Math.Abs(x.Size) * scenario.Instrument(x.Instrument).InitialPrice;
            var ny = Math.Abs(y.Size) * scenario.Instrument(y.Instrument).InitialPrice;
            return Math.Abs(nx - ny) <= 0.02m * Math.Max(nx, ny) + scenario.Instrument(x.Instrument).InitialPrice * scenario.Catalog.Instrument(x.Instrument).LotSize + scenario.Instrument(y.Instrument).InitialPrice * scenario.Catalog.Instrument(y.Instrument).LotSize;
        }

        return false;
    }
}
