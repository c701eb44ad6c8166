using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;

namespace CrossMargin.Risk.Liquidation;

/// <summary>
/// Liquidation and bankruptcy prices of one position, all other marks and prices held fixed.
/// Cross: solve equity(X) = ratio·ΣMM(X); both sides are linear in X (linear contracts) or in 1/X (inverse) inside a
/// bracket, so each bracket region gives one candidate root and the root inside its own region is the answer (MM is
/// continuous across brackets through cum, and MMR &lt; 1 makes equity − MM monotone). Isolated: the same with the
/// position's own margin. Portfolio, and inverse contracts under the linear-in-size rule: bisection on the full
/// valuation. Sources: Binance one-way cross LP = (WB − TMM₁ + UPNL₁ + cum − side·|q|·E) / (|q|·(MMR − side));
/// pod-sdk PR #300 (solve equity(X) = ΣMM(X)).
/// </summary>
public static class LiquidationPrices
{
    /// <summary>Liquidation price rounded to tick (long up, short down); null when no positive price liquidates the account.</summary>
    public static decimal? Liquidation(Account account, RiskCatalog catalog, MarketPrices prices, string instrumentId, decimal ratio = 1m, PortfolioMarginConfig? portfolio = null) =>
        Round(catalog, account, instrumentId, Solve(account, catalog, prices, instrumentId, ratio, portfolio));

    /// <summary>Bankruptcy price (margin + uPnL = 0) rounded to tick (long up, short down); null when none exists.</summary>
    public static decimal? Bankruptcy(Account account, RiskCatalog catalog, MarketPrices prices, string instrumentId) =>
        Round(catalog, account, instrumentId, Solve(account, catalog, prices, instrumentId, 0m, null));

    /// <summary>Unrounded root of equity(X) = <paramref name="ratio"/>·MM(X) (ratio 0: bankruptcy).</summary>
    public static decimal? Solve(Account account, RiskCatalog catalog, MarketPrices prices, string instrumentId, decimal ratio, PortfolioMarginConfig? portfolio)
    {
        var spec = catalog.Instrument(instrumentId);
        if (!account.Positions.TryGetValue(instrumentId, out var pos) || pos.Size == 0m)
        {
            throw new RiskInputException("position", instrumentId, $"account {account.Id} holds no position in this instrument");
        }

        var haircutSettlement = account.Mode != MarginMode.Isolated && !catalog.Asset(spec.SettlementAsset).Haircut.IsIdentity;
        if ((account.Mode == MarginMode.Portfolio && ratio != 0m) || haircutSettlement)
        {
            // Not linear in X (scenario MM, or uPnL valued through a haircut schedule): bisection on the full valuation.
            if (ratio == 0m)
            {
                // Bankruptcy: equity alone, so no requirement (and no portfolio config) is needed.
                return Bisect(pos.Size, prices.Mark(instrumentId), spec.TickSize, x =>
                    MarginEngine.CrossEquity(account, catalog, prices.WithMark(instrumentId, x).Mark, prices.Price));
            }

            var cfg = account.Mode == MarginMode.Portfolio ? portfolio ?? throw new RiskInputException("portfolio", "null", "portfolio config required") : null;
            return Bisect(pos.Size, prices.Mark(instrumentId), spec.TickSize, x =>
            {
                var r = MarginEngine.Evaluate(account, catalog, prices.WithMark(instrumentId, x), cfg);
                return r.Equity - (ratio * r.Maintenance);
            });
        }

        var ps = prices.Price(spec.SettlementAsset);
        var c = BaseTerm(account, catalog, prices, instrumentId, ratio, ps);
        if (spec.Kind == InstrumentKind.InversePerpetual && spec.Margin is LinearInSizeRule && ratio != 0m)
        {
            return Bisect(pos.Size, prices.Mark(instrumentId), spec.TickSize, x =>
                c + (ps * PositionMath.UnrealizedPnl(spec, pos, x)) - (ratio * ps * PositionMath.Requirement(spec, pos.Size, x).Maintenance));
        }

        return ClosedForm(spec, pos, c, ps, ratio);
    }

    /// <summary>
    /// Equity excluding this position's uPnL minus ratio × the other positions' MM (cross), or the isolated margin.
    /// </summary>
    private static decimal BaseTerm(Account account, RiskCatalog catalog, MarketPrices prices, string instrumentId, decimal ratio, decimal ps)
    {
        if (account.Mode == MarginMode.Isolated)
        {
            return account.Positions[instrumentId].IsolatedMargin * ps;
        }

        // The settlement asset has no haircut here, so equity is linear in this position's uPnL with slope ps.
        if (ratio == 0m)
        {
            // Bankruptcy needs no requirement: skip the MM evaluation, which a portfolio account cannot do without its
            // scenario config (and which would throw for sizes beyond the rule's limits).
            var spec = catalog.Instrument(instrumentId);
            var own0 = PositionMath.UnrealizedPnl(spec, account.Positions[instrumentId], prices.Mark(instrumentId)) * ps;
            return MarginEngine.CrossEquity(account, catalog, prices.Mark, prices.Price) - own0;
        }

        var risk = MarginEngine.Evaluate(account, catalog, prices);
        var own = risk.Positions.First(p => p.InstrumentId == instrumentId);
        return risk.Equity - own.UnrealizedPnl - (ratio * (risk.Maintenance - own.Maintenance));
    }

    private static decimal? ClosedForm(InstrumentSpec spec, Position pos, decimal c, decimal ps, decimal ratio)
    {
        var q = pos.Size * spec.ContractSize;
        var a = Math.Abs(q);
        var linear = spec.Kind == InstrumentKind.LinearPerpetual;
        foreach (var (mmr, cum, floor, cap, first) in Regions(spec, a))
        {
            decimal num, den;
            if (linear)
            {
                // C + ps·q·(X − E) − t·ps·(|q|·X·MMR − cum) = 0
                num = c - (ps * spec.ContractSize * pos.Cost) + (ratio * ps * cum); // q·E = cs·Cost
                den = ps * ((ratio * a * mmr) - q);
            }
            else
            {
                // C + ps·q·(1/E − 1/X) − t·ps·(|q|·MMR/X − cum) = 0
                num = ps * (q + (ratio * a * mmr));
                den = c + (ps * spec.ContractSize * pos.Cost) + (ratio * ps * cum); // q/E = cs·Cost
            }

            if (den == 0m)
            {
                continue;
            }

            var x = num / den;
            if (x <= 0m)
            {
                continue;
            }

            if (ratio == 0m)
            {
                return x;
            }

            var n = linear ? a * x : a / x;
            if ((first ? n >= 0m : n > floor) && n <= cap)
            {
                return x;
            }
        }

        return null;
    }

    private static IEnumerable<(decimal Mmr, decimal Cum, decimal Floor, decimal Cap, bool First)> Regions(InstrumentSpec spec, decimal absQcs)
    {
        switch (spec.Margin)
        {
            case BracketTable t:
                for (var j = 0; j < t.Brackets.Length; j++)
                {
                    yield return (t.Brackets[j].MaintenanceRate, t.Cum(j), t.Brackets[j].NotionalFloor, t.Brackets[j].NotionalCap, j == 0);
                }

                break;
            case LinearInSizeRule r:
                yield return (r.BaseMaintenanceRate + (r.SizeRate * absQcs), 0m, 0m, decimal.MaxValue, true);
                break;
            default:
                throw new RiskInputException($"instrument[{spec.Id}].margin", spec.Margin.GetType().Name, "unsupported margin rule");
        }
    }

    /// <summary>
    /// Bisection for f(X) = 0 moving from the mark toward the side that hurts the position (down for a long, up for a
    /// short); a requirement beyond the rule's limits counts as f &lt; 0. Returns the end of the final interval on the
    /// mark's side (f &gt; 0, within a thousandth of a tick of the root), so rounding it long-up / short-down never lands
    /// past the true root.
    /// </summary>
    private static decimal? Bisect(decimal size, decimal mark, decimal tick, Func<decimal, decimal> f)
    {
        decimal Eval(decimal x)
        {
            try
            {
                return f(x);
            }
            catch (RiskInputException)
            {
                return -1m;
            }
        }

        if (Eval(mark) <= 0m)
        {
            return mark;
        }

        decimal good = mark, bad;
        if (size > 0m)
        {
            bad = tick / 1000m;
            if (Eval(bad) > 0m)
            {
                return null;
            }
        }
        else
        {
            bad = mark;
            var k = 0;
            do
            {
                bad *= 2m;
                if (++k > 40)
                {
                    return null;
                }
            }
            while (Eval(bad) > 0m);
        }

        while (Math.Abs(bad - good) > tick / 1000m)
        {
            var mid = (good + bad) / 2m;
            if (Eval(mid) > 0m)
            {
                good = mid;
            }
            else
            {
                bad = mid;
            }
        }

        return good;
    }

    private static decimal? Round(RiskCatalog catalog, Account account, string instrumentId, decimal? price) =>
        price is { } p ? Rounding.PriceConservative(p, catalog.Instrument(instrumentId).TickSize, Math.Sign(account.Positions[instrumentId].Size)) : null;
}
