using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Tests.Support;

namespace CrossMargin.Risk.Tests.Margin;

public class BracketTableTests
{
    [Fact]
    public void Cum_amounts_should_match_the_published_BTCUSDT_table()
    {
        // Source: gist.github.com/highfestiva/b71e76f51eed84d56c1be8ebbcc286b5 (Binance BTCUSDT, 2021), and
        // cum_j = cum_{j−1} + floor_j·(MMR_j − MMR_{j−1}) (reference/exchange-mechanics.md §2.1).
        decimal[] published = [0m, 50m, 1_300m, 16_300m, 266_300m, 1_266_300m, 2_516_300m, 5_016_300m, 25_016_300m, 100_016_300m];
        for (var j = 0; j < published.Length; j++)
        {
            Assert.Equal(published[j], Fixtures.BtcUsdtBrackets.Cum(j));
        }
    }

    [Fact]
    public void Maintenance_margin_should_be_notional_times_rate_minus_cum()
    {
        // Binance: MM = notional × MMR − cum. 500,000 USDT falls in (250k, 1M]: 500,000·1% − 1,300 = 3,700.
        var r = Fixtures.BtcUsdtBrackets.Requirement(500_000m, 10m);
        Assert.Equal(3_700m, r.Maintenance);
        Assert.Equal(2, r.Bracket);
        Assert.Equal(10_000m, r.Initial); // 50x → IM rate 2%
    }

    [Fact]
    public void Maintenance_margin_should_be_continuous_at_every_bracket_boundary()
    {
        var t = Fixtures.BtcUsdtBrackets;
        for (var j = 1; j < t.Brackets.Length; j++)
        {
            var floor = t.Brackets[j].NotionalFloor;
            Assert.Equal(t.At(j - 1, floor).Maintenance, t.At(j, floor).Maintenance);
        }
    }

    [Fact]
    public void ETHUSDT_first_bracket_should_match_Binance_documented_example()
    {
        // Binance leverageBracket docs: ETHUSDT bracket 1 is 75x, cap 10,000, MMR 0.65%, cum 0.
        var r = Fixtures.EthUsdtBrackets.Requirement(10_000m, 3m);
        Assert.Equal(65m, r.Maintenance);
        Assert.Equal(0m, r.Cum);
    }

    [Fact]
    public void A_notional_beyond_the_last_bracket_should_raise_a_typed_error_naming_the_value()
    {
        var e = Assert.Throws<RiskInputException>(() => Fixtures.BtcUsdtBrackets.Requirement(500_000_001m, 1m));
        Assert.Equal("notional", e.Field);
        Assert.Equal("500000001", e.Value);
    }

    [Fact]
    public void A_table_with_a_gap_or_a_rate_outside_0_1_should_be_refused()
    {
        var gap = Assert.Throws<RiskInputException>(() => new BracketTable([new Bracket(0m, 10m, 0.01m, 10m), new Bracket(20m, 30m, 0.02m, 10m)]));
        Assert.Equal("brackets[1].notional-floor", gap.Field);
        var rate = Assert.Throws<RiskInputException>(() => new BracketTable([new Bracket(0m, 10m, 1.5m, 1m)]));
        Assert.Equal("brackets[0].maintenance-rate", rate.Field);
        var lev = Assert.Throws<RiskInputException>(() => new BracketTable([new Bracket(0m, 10m, 0.05m, 50m)]));
        Assert.Equal("brackets[0].max-leverage", lev.Field);
    }

    [Fact]
    public void A_maintenance_rate_that_falls_should_be_refused_naming_the_bracket()
    {
        // Review issue 3, item 4.
        var e = Assert.Throws<RiskInputException>(() => Fixtures.Table((10_000m, 0.01m, 50m), (20_000m, 0.005m, 50m)));
        Assert.Equal("brackets[1].maintenance-rate", e.Field);
        Assert.Equal("0.005", e.Value);
    }

    [Fact]
    public void A_max_leverage_that_rises_should_be_refused_naming_the_bracket()
    {
        var e = Assert.Throws<RiskInputException>(() => Fixtures.Table((10_000m, 0.01m, 20m), (20_000m, 0.01m, 50m), (30_000m, 0.02m, 60m)));
        Assert.Equal("brackets[1].max-leverage", e.Field);
        Assert.Equal("50", e.Value);
    }

    [Fact]
    public void A_bracket_rate_not_above_the_liquidation_fee_should_be_refused_naming_the_bracket()
    {
        var spec = new Risk.Model.InstrumentSpec("X", Risk.Model.InstrumentKind.LinearPerpetual, "BTC", "USDT", 1m, 0.1m, 0.001m,
            Fixtures.Table((10_000m, 0.004m, 125m), (20_000m, 0.01m, 50m)));
        var e = Assert.Throws<RiskInputException>(() => spec.Validate(0.005m));
        Assert.Equal("instrument[X].margin.brackets[0].maintenance-rate", e.Field);
        Assert.Equal("0.004", e.Value);
    }

    [Fact]
    public void Initial_margin_should_divide_by_the_max_leverage_without_a_rounded_reciprocal()
    {
        // Review issue 3, item 7: 3x leverage on 300 of notional needs exactly 100 (300 × 0.333…3 would give 99.99…9).
        var table = Fixtures.Table((1_000m, 0.1m, 3m));
        Assert.Equal(100m, table.Requirement(300m, 0m).Initial);
        Assert.Equal(1_500_000m, Fixtures.BtcUsdtBrackets.Requirement(15_000_000m, 0m).Initial); // bracket 5: 10x
    }
}
