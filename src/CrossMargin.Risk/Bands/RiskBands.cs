using System.Collections.Immutable;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Bands;

/// <summary>
/// Computes <see cref="RiskBandSet"/>s. The state is a function of the signs of the boundary functions
/// g_t = equity − t·MM − r·notional for every threshold t (0, backstop, liquidation, reduce-only, warning; plus the
/// exit level). For each g, Λ = Σ_j sup|∂g/∂x_j|·x_j bounds how much g moves per unit of common relative move of all
/// prices x_j over a box of relative half-width b ≤ <see cref="BandConfig.MaxRelativeWidth"/>; a relative half-width
/// ρ = min(b, safety·|g|/Λ) therefore keeps g's sign. The buffer is thereby split among the prices in proportion to their
/// sensitivity. ρ is the minimum over all boundaries; b is chosen as the fixed point b = ρ(b) (the smallest box that
/// still holds the band, so Λ is nearly exact for linear books); bands round inward to the tick.
/// </summary>
public static class RiskBands
{
    /// <summary>Bands for <paramref name="account"/> at <paramref name="prices"/>, given its <paramref name="previous"/> state.</summary>
    public static RiskBandSet Compute(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous)
    {
        var risk = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
        return Compute(account, catalog, prices, config, risk, MarginEngine.State(risk, previous, config.Thresholds));
    }

    /// <summary>
    /// Bands with per-position previous states for an isolated account (see
    /// <see cref="MarginEngine.State(AccountRisk, RiskState, IReadOnlyDictionary{string, RiskState}, RiskThresholds)"/>);
    /// the guarantee holds for the state computed with the same <paramref name="previous"/> and map.
    /// </summary>
    public static RiskBandSet Compute(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous, IReadOnlyDictionary<string, RiskState> previousByPosition)
    {
        var risk = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
        return Compute(account, catalog, prices, config, risk, MarginEngine.State(risk, previous, previousByPosition, config.Thresholds));
    }

    private static RiskBandSet Compute(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, AccountRisk risk, RiskState state)
    {
        // Λ bounded over a box of half-width b is valid for bands no wider than b, and it shrinks with b (over the full
        // max-relative-width box a linear term alone is overstated by (1 + w)², 1.56× at w = 0.25). Every candidate
        // min(b, ρ(b)) is therefore a valid band; the widest is at the fixed point b = ρ(b), found by bisection on b.
        var w = config.Bands.MaxRelativeWidth;
        var best = Rho(account, catalog, prices, config, risk, w);
        if (best > 0m && best < w)
        {
            var (lo, hi) = (best, w);
            for (var i = 0; i < BoxBisections; i++)
            {
                var mid = (lo + hi) / 2m;
                var r = Rho(account, catalog, prices, config, risk, mid);
                best = Math.Max(best, r);
                (lo, hi) = r >= mid ? (mid, hi) : (lo, mid);
            }
        }

        return Build(account, catalog, prices, state, best);
    }

    /// <summary>Bisection steps for the box fixed point: the band ends within (w − ρ)/2¹⁰ of the widest this bound allows.</summary>
    private const int BoxBisections = 10;

    /// <summary>The common relative half-width ρ ≤ <paramref name="b"/> keeping every boundary's sign, with Λ bounded over the box [1 − b, 1 + b].</summary>
    private static decimal Rho(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, AccountRisk risk, decimal b)
    {
        var box = new Box(1m - b, 1m + b);
        var t = config.Thresholds;
        var ratios = new[] { 0m, t.BackstopRatio, t.LiquidationRatio, t.ReduceOnlyRatio, t.WarningRatio };
        var rho = b;
        if (account.Mode == MarginMode.Isolated)
        {
            rho = Math.Min(rho, Width(MarginEngine.CollateralValue(account, catalog, prices.Price), CollateralLambda(account, prices, catalog, box, 1m), config));
            foreach (var p in risk.Positions)
            {
                var pos = account.Positions[p.InstrumentId];
                var s = Sens(catalog.Instrument(p.InstrumentId), pos, prices, box, pos.IsolatedMargin);
                foreach (var (ratio, buffer) in Boundaries(ratios, t))
                {
                    var g = (p.IsolatedEquity ?? 0m) - (ratio * p.Maintenance) - (buffer * p.Notional);
                    rho = Math.Min(rho, Width(g, s.Lambda(ratio, buffer), config));
                }
            }
        }
        else
        {
            var coll = CollateralLambda(account, prices, catalog, box, 1m);
            var sens = account.Positions.Select(kv => Sens(catalog.Instrument(kv.Key), kv.Value, prices, box, 0m)).ToList();
            var pm = account.Mode == MarginMode.Portfolio ? PmTerms(account, catalog, prices, config.Portfolio, box, sens) : ((decimal Collateral, decimal Positions)?)null;
            foreach (var (ratio, buffer) in Boundaries(ratios, t))
            {
                var g = risk.Equity - (ratio * risk.Maintenance) - (buffer * risk.Notional);
                var lambda = coll + sens.Sum(s => s.Lambda(pm is null ? ratio : 0m, buffer));
                if (pm is { } extra)
                {
                    lambda += ratio * (extra.Collateral + extra.Positions);
                }

                rho = Math.Min(rho, Width(g, lambda, config));
            }
        }

        return rho;
    }

    private static IEnumerable<(decimal Ratio, decimal Buffer)> Boundaries(decimal[] ratios, RiskThresholds t) =>
        ratios.Select(r => (r, 0m)).Append((t.LiquidationRatio, t.ExitBufferRate));

    private static decimal Width(decimal g, decimal lambda, RiskConfig config) =>
        lambda == 0m ? config.Bands.MaxRelativeWidth : config.Bands.Safety * Math.Abs(g) / lambda;

    /// <summary>Box of relative price factors [Lo, Hi] the sensitivities are bounded over.</summary>
    private readonly record struct Box(decimal Lo, decimal Hi);

    /// <summary>
    /// Per-position bounds (valuation asset per unit relative move): equity (mark and settlement price), MM and
    /// notional. Λ(t, r) = E + t·MM + r·N sensitivities.
    /// </summary>
    private readonly record struct PositionSens(decimal EquityLambda, decimal MaintenanceLambda, decimal NotionalLambda)
    {
        public decimal Lambda(decimal ratio, decimal buffer) => EquityLambda + (ratio * MaintenanceLambda) + (buffer * NotionalLambda);
    }

    private static PositionSens Sens(InstrumentSpec spec, Position pos, MarketPrices prices, Box box, decimal isolatedMargin)
    {
        var x = prices.Mark(spec.Id);
        var ps = prices.Price(spec.SettlementAsset);
        var a = Math.Abs(pos.Size) * spec.ContractSize;
        if (a == 0m)
        {
            return new PositionSens(box.Hi * ps * Math.Abs(isolatedMargin), 0m, 0m);
        }

        var (q, c, cs) = (pos.Size, pos.Cost, spec.ContractSize);
        decimal uMax, nMax, xLambdaUnit;
        if (spec.Kind == InstrumentKind.LinearPerpetual)
        {
            uMax = cs * Math.Max(Math.Abs((q * box.Hi * x) - c), Math.Abs((q * box.Lo * x) - c));
            nMax = a * box.Hi * x;
            xLambdaUnit = box.Hi * box.Hi * ps * a * x; // sup |∂(ps·u)/∂x| · x ≤ (Hi·ps)·a·x, with room to spare
        }
        else
        {
            uMax = cs * Math.Max(Math.Abs(c - (q / (box.Lo * x))), Math.Abs(c - (q / (box.Hi * x))));
            nMax = a / (box.Lo * x);
            xLambdaUnit = box.Hi * ps * a / (box.Lo * box.Lo * x); // sup |∂(ps·u)/∂x| · x = ps'·a·x/x'² ≤ Hi·ps·a/(Lo²·x)
        }

        var r = spec.Margin.MaxMaintenanceSlope(nMax);
        var psHi = box.Hi * ps;
        return new PositionSens(
            xLambdaUnit + (psHi * (uMax + Math.Abs(isolatedMargin))),
            (xLambdaUnit * r) + (psHi * r * nMax),
            xLambdaUnit + (psHi * nMax));
    }

    private static decimal CollateralLambda(Account account, MarketPrices prices, RiskCatalog catalog, Box box, decimal scale)
    {
        var total = 0m;
        foreach (var (asset, b) in account.Balances)
        {
            if (b != 0m)
            {
                var h = b < 0m ? 1m : catalog.Asset(asset).Haircut.MaxRatio;
                total += box.Hi * prices.Price(asset) * Math.Abs(b) * h * scale;
            }
        }

        return total;
    }

    /// <summary>
    /// Portfolio MM sensitivity: each group's loss E(x) − E(x∘(1+s)) moves at most 2× the equity sensitivity over a box
    /// widened by the largest shock, per group; plus the position floor.
    /// </summary>
    private static (decimal Collateral, decimal Positions) PmTerms(Account account, RiskCatalog catalog, MarketPrices prices, PortfolioMarginConfig pm, Box box, List<PositionSens> sens)
    {
        var shock = pm.MaxShock;
        var wide = new Box(box.Lo * (1m - shock), box.Hi * (1m + shock));
        var groups = Math.Max(1, PortfolioMargin.GroupsOf(account, catalog, pm).Count);
        // d/dx_j of E(x∘(1+s)) is (1+s)·E'_j at the shocked point: hence the (1 + shock) factor.
        var factor = 2m * groups * (1m + shock);
        var coll = factor * CollateralLambda(account, prices, catalog, wide, 1m);
        var pos = 0m;
        var k = 0;
        foreach (var (id, p) in account.Positions)
        {
            var wideSens = Sens(catalog.Instrument(id), p, prices, wide, 0m);
            pos += (factor * wideSens.EquityLambda) + (pm.PositionFloorRate * sens[k].NotionalLambda);
            k++;
        }

        return (coll, pos);
    }

    private static RiskBandSet Build(Account account, RiskCatalog catalog, MarketPrices prices, RiskState state, decimal rho)
    {
        var marks = ImmutableSortedDictionary.CreateBuilder<string, PriceBand>(StringComparer.Ordinal);
        var assets = ImmutableSortedDictionary.CreateBuilder<string, PriceBand>(StringComparer.Ordinal);
        foreach (var (id, pos) in account.Positions)
        {
            var spec = catalog.Instrument(id);
            var x = prices.Mark(id);
            var lo = Math.Min(x, Rounding.Up(x * (1m - rho), spec.TickSize));
            var hi = Math.Max(x, Rounding.Down(x * (1m + rho), spec.TickSize));
            marks[id] = new PriceBand(lo, hi);
            AddAsset(assets, spec.SettlementAsset, prices, rho);
        }

        foreach (var (asset, b) in account.Balances)
        {
            if (b != 0m)
            {
                AddAsset(assets, asset, prices, rho);
            }
        }

        return new RiskBandSet(state, rho, marks.ToImmutable(), assets.ToImmutable());
    }

    private static void AddAsset(ImmutableSortedDictionary<string, PriceBand>.Builder assets, string asset, MarketPrices prices, decimal rho)
    {
        var p = prices.Price(asset);
        assets[asset] = new PriceBand(p * (1m - rho), p * (1m + rho));
    }
}
