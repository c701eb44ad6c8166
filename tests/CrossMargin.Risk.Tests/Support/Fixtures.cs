using CrossMargin.Risk;
using CrossMargin.Risk.Events;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Tests.Support;

/// <summary>A small exchange: Binance-like linear books, an inverse book and Deribit's linear-in-size rule.</summary>
internal static class Fixtures
{
    /// <summary>
    /// BTCUSDT brackets as published (reverse-engineered 2021) in gist.github.com/highfestiva/b71e76f51eed84d56c1be8ebbcc286b5
    /// (cap, MMR%, cum): 50k 0.4 0; 250k 0.5 50; 1M 1 1,300; 10M 2.5 16,300; 20M 5 266,300; 50M 10 1,266,300;
    /// 100M 12.5 2,516,300; 200M 15 5,016,300; 300M 25 25,016,300; 500M 50 100,016,300. Max leverages are Binance's.
    /// </summary>
    public static readonly BracketTable BtcUsdtBrackets = Table(
        (50_000m, 0.004m, 125m), (250_000m, 0.005m, 100m), (1_000_000m, 0.01m, 50m), (10_000_000m, 0.025m, 20m),
        (20_000_000m, 0.05m, 10m), (50_000_000m, 0.10m, 5m), (100_000_000m, 0.125m, 4m), (200_000_000m, 0.15m, 3m),
        (300_000_000m, 0.25m, 2m), (500_000_000m, 0.50m, 1m));

    /// <summary>ETHUSDT: bracket 1 is Binance's documented example (75x, cap 10,000, MMR 0.65%, cum 0); the rest illustrative.</summary>
    public static readonly BracketTable EthUsdtBrackets = Table(
        (10_000m, 0.0065m, 75m), (100_000m, 0.01m, 50m), (500_000m, 0.02m, 25m), (1_000_000m, 0.05m, 10m),
        (2_000_000m, 0.10m, 5m), (5_000_000m, 0.125m, 4m), (10_000_000m, 0.15m, 3m), (20_000_000m, 0.25m, 2m), (50_000_000m, 0.5m, 1m));

    /// <summary>Inverse BTCUSD brackets in BTC (illustrative).</summary>
    public static readonly BracketTable BtcUsdBrackets = Table(
        (5m, 0.005m, 125m), (10m, 0.01m, 50m), (50m, 0.025m, 20m), (100m, 0.05m, 10m), (500m, 0.10m, 5m), (1000m, 0.25m, 2m));

    public static readonly InstrumentSpec BtcUsdt = new("BTCUSDT", InstrumentKind.LinearPerpetual, "BTC", "USDT", 1m, 0.1m, 0.001m, BtcUsdtBrackets);
    public static readonly InstrumentSpec EthUsdt = new("ETHUSDT", InstrumentKind.LinearPerpetual, "ETH", "USDT", 1m, 0.01m, 0.001m, EthUsdtBrackets);
    public static readonly InstrumentSpec BtcUsd = new("BTCUSD", InstrumentKind.InversePerpetual, "BTC", "BTC", 100m, 0.5m, 1m, BtcUsdBrackets);
    public static readonly InstrumentSpec DeribitBtc = new("BTC-PERPETUAL", InstrumentKind.InversePerpetual, "BTC", "BTC", 10m, 0.5m, 1m, LinearInSizeRule.DeribitBtc);
    public static readonly InstrumentSpec DeribitLinear = new("BTC_USDC-PERPETUAL", InstrumentKind.LinearPerpetual, "BTC", "USDT", 1m, 0.5m, 0.001m, LinearInSizeRule.DeribitBtc);

    public static readonly RiskCatalog Catalog = new(
        [BtcUsdt, EthUsdt, BtcUsd, DeribitBtc, DeribitLinear],
        [
            new AssetSpec("USDT", HaircutSchedule.Flat(1m)),
            new AssetSpec("BTC", HaircutSchedule.Flat(0.95m)),
            new AssetSpec("ETH", new HaircutSchedule([new HaircutTier(0m, 0.95m), new HaircutTier(1_000_000m, 0.9m)])),
        ]);

    public static readonly RiskConfig Config = RiskConfig.Default.Validate(Catalog);

    public static BracketTable Table(params (decimal Cap, decimal Mmr, decimal Lev)[] rows)
    {
        var list = new List<Bracket>();
        var floor = 0m;
        foreach (var (cap, mmr, lev) in rows)
        {
            list.Add(new Bracket(floor, cap, mmr, lev));
            floor = cap;
        }

        return new BracketTable(list);
    }

    public static MarketPrices Prices(decimal btc = 50_000m, decimal eth = 3_000m) => new(
        [new("BTCUSDT", btc), new("ETHUSDT", eth), new("BTCUSD", btc), new("BTC-PERPETUAL", btc), new("BTC_USDC-PERPETUAL", btc)],
        [new("USDT", 1m), new("BTC", btc), new("ETH", eth)]);

    /// <summary>An account built through the fold: deposits, then fills at the given prices.</summary>
    public static Account Account(string id, MarginMode mode, IEnumerable<(string Asset, decimal Amount)> deposits, IEnumerable<(string Instrument, decimal Size, decimal Price)> fills)
    {
        var a = Risk.Model.Account.Empty(id, mode);
        foreach (var (asset, amount) in deposits)
        {
            a = AccountFold.Apply(a, new CollateralDeposited(asset, amount), Catalog);
        }

        foreach (var (inst, size, price) in fills)
        {
            a = AccountFold.Apply(a, new PositionFilled(inst, size, price, 0m), Catalog);
        }

        return a;
    }

    /// <summary>A position set directly (entry and size exact), for worked examples.</summary>
    public static Account WithPositions(string id, MarginMode mode, decimal usdt, params Position[] positions)
    {
        var a = Risk.Model.Account.Empty(id, mode).WithBalance("USDT", usdt);
        return positions.Aggregate(a, (acc, p) => acc.WithPosition(p));
    }
}
