using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.States;
using Xunit;
using static CrossMargin.Engine.Tests.Domain.DomainFixture;

namespace CrossMargin.Engine.Tests.Domain;

public sealed class AccountLogicTests
{
    private static readonly MarketPrices P = Prices(100_000m);

    private static EngineAccount Funded(decimal usdt) => Accept(EngineAccount.Empty(1, MarginMode.Cross), new Deposit(1, 1, "USDT", usdt), P);

    [Fact]
    public void Deposit_should_be_accepted_and_folded_into_the_balance()
    {
        var d = AccountLogic.Decide(EngineAccount.Empty(1, MarginMode.Cross), new Deposit(1, 7, "USDT", 500m), Model, P);
        Assert.True(d.Reply.Accepted);
        Assert.Equal(7, d.Reply.CommandId);
        var e = Assert.IsType<Deposited>(Assert.Single(d.Events));
        Assert.Equal(500m, AccountLogic.Apply(EngineAccount.Empty(1, MarginMode.Cross), e, Model).Account.Balance("USDT"));
    }

    [Fact]
    public void Deposit_of_an_unknown_asset_should_be_refused_with_the_asset_named()
    {
        var d = AccountLogic.Decide(EngineAccount.Empty(1, MarginMode.Cross), new Deposit(1, 1, "DOGE", 5m), Model, P);
        Assert.False(d.Reply.Accepted);
        Assert.Empty(d.Events);
        Assert.Contains("DOGE", d.Reply.Reason);
    }

    [Fact]
    public void Trade_in_an_unknown_instrument_should_be_refused()
    {
        var d = AccountLogic.Decide(Funded(1000m), new PlaceTrade(1, 2, "XRP-PERP", 1m, 1m, 0), Model, P);
        Assert.False(d.Reply.Accepted);
        Assert.Contains("unknown instrument 'XRP-PERP'", d.Reply.Reason);
    }

    [Fact]
    public void Trade_beyond_initial_margin_should_be_refused()
    {
        // 1,000 USDT backs at most 20,000 notional at 20x: 0.3 BTC (30,000) is too much.
        var d = AccountLogic.Decide(Funded(1000m), new PlaceTrade(1, 2, "BTC-PERP", 0.3m, 100_000m, 0), Model, P);
        Assert.False(d.Reply.Accepted);
        Assert.Contains("insufficient initial margin", d.Reply.Reason);
    }

    [Fact]
    public void Trade_within_initial_margin_should_open_the_position()
    {
        var s = Accept(Funded(1000m), new PlaceTrade(1, 2, "BTC-PERP", 0.1m, 100_000m, 0), P);
        Assert.Equal(0.1m, s.Account.Positions["BTC-PERP"].Size);
    }

    [Fact]
    public void Withdrawal_that_would_breach_initial_margin_should_be_refused()
    {
        var s = Accept(Funded(1000m), new PlaceTrade(1, 2, "BTC-PERP", 0.1m, 100_000m, 0), P);
        var d = AccountLogic.Decide(s, new Withdraw(1, 3, "USDT", 600m), Model, P);
        Assert.False(d.Reply.Accepted);
        Assert.Contains("initial margin", d.Reply.Reason);
        Assert.True(AccountLogic.Decide(s, new Withdraw(1, 4, "USDT", 400m), Model, P).Reply.Accepted);
    }

    [Fact]
    public void Withdrawal_above_the_balance_should_be_refused()
    {
        var d = AccountLogic.Decide(Funded(100m), new Withdraw(1, 3, "USDT", 101m), Model, P);
        Assert.False(d.Reply.Accepted);
        Assert.Contains("insufficient balance", d.Reply.Reason);
    }

    [Fact]
    public void Account_in_reduce_only_should_refuse_a_risk_increasing_trade_but_accept_a_reducing_one()
    {
        var s = Accept(Funded(1000m), new PlaceTrade(1, 2, "BTC-PERP", 0.1m, 100_000m, 0), P) with { State = RiskState.ReduceOnly };
        Assert.False(AccountLogic.Decide(s, new PlaceTrade(1, 3, "BTC-PERP", 0.01m, 100_000m, 0), Model, P).Reply.Accepted);
        Assert.True(AccountLogic.Decide(s, new PlaceTrade(1, 4, "BTC-PERP", -0.05m, 100_000m, 0), Model, P).Reply.Accepted);
    }

    [Fact]
    public void Remargin_should_report_a_state_change_once_and_bands_around_the_mark()
    {
        var s = Accept(Funded(1000m), new PlaceTrade(1, 2, "BTC-PERP", 0.1m, 100_000m, 0), P);
        var healthy = AccountLogic.Remargin(s, Model, P, 0);
        Assert.Null(healthy.Changed);
        var band = healthy.Bands.Marks["BTC-PERP"];
        Assert.True(band.Low < 100_000m && band.High > 100_000m);

        // A 9.5% fall leaves 50 USDT of equity against ~905 MM: liquidating or worse.
        var crashed = Prices(90_500m);
        var r = AccountLogic.Remargin(s, Model, crashed, 5);
        Assert.NotNull(r.Changed);
        Assert.True(r.Changed!.To >= RiskState.Liquidating);
        var after = AccountLogic.Apply(s, r.Changed, Model);
        Assert.Null(AccountLogic.Remargin(after, Model, crashed, 6).Changed);
    }

    [Fact]
    public void Command_for_another_account_should_be_refused()
    {
        var d = AccountLogic.Decide(EngineAccount.Empty(1, MarginMode.Cross), new Deposit(2, 1, "USDT", 5m), Model, P);
        Assert.False(d.Reply.Accepted);
    }
}
