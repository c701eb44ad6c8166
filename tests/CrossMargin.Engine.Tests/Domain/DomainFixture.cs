using CrossMargin.Engine.Domain;
using CrossMargin.Risk;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Tests.Domain;

/// <summary>A one-instrument catalog (BTC-PERP, USDT-settled, 1% MMR, 20× max leverage) at mark 100,000.</summary>
internal static class DomainFixture
{
    public static readonly InstrumentSpec Btc = new("BTC-PERP", InstrumentKind.LinearPerpetual, "BTC", "USDT", 1m, 0.1m, 0.001m,
        new BracketTable([new Bracket(0m, 1_000_000_000m, 0.01m, 20m)]));

    public static readonly RiskCatalog Catalog = new([Btc], [new AssetSpec("USDT", HaircutSchedule.Flat(1m)), new AssetSpec("BTC", HaircutSchedule.Flat(0.95m))]);

    public static readonly EngineModel Model = new(Catalog, RiskConfig.Default with
    {
        Waterfall = RiskConfig.Default.Waterfall with { BackstopAccountId = "0" },
    });

    public static MarketPrices Prices(decimal mark) =>
        new([new KeyValuePair<string, decimal>("BTC-PERP", mark)], [new("USDT", 1m), new("BTC", mark)]);

    /// <summary>Applies <paramref name="command"/> and returns the new state (asserting acceptance).</summary>
    public static EngineAccount Accept(EngineAccount state, AccountCommand command, MarketPrices prices)
    {
        var d = AccountLogic.Decide(state, command, Model, prices);
        if (!d.Reply.Accepted)
        {
            throw new InvalidOperationException($"refused: {d.Reply.Reason}");
        }

        return d.Events.Aggregate(state, (s, e) => AccountLogic.Apply(s, e, Model));
    }
}
