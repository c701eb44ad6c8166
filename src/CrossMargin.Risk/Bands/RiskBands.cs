using System.Collections.Immutable;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using CrossMargin.Risk.Portfolio;
using CrossMargin.Risk.States;

namespace CrossMargin.Risk.Bands;

/// <summary>
/// Computes <see cref="RiskBandSet"/>s. The state is a function of the signs of the boundary functions
/// g_t = equity − t·MM − r·notional for every threshold t (0, backstop, liquidation, reduce-only, warning; plus the
/// exit level, which only a Liquidating or Backstop state consults: see <see cref="Boundaries"/>). For each g,
/// Λ = Σ_j sup|∂g/∂x_j|·x_j bounds how much g moves per unit of common relative move of all prices x_j over a box of
/// relative half-width b ≤ <see cref="BandConfig.MaxRelativeWidth"/>; a relative half-width ρ = min(b, safety·|g|/Λ)
/// therefore keeps g's sign. The buffer is thereby split among the prices in proportion to their
/// sensitivity. ρ is the minimum over all boundaries; b is chosen as the fixed point b = ρ(b) (the smallest box that
/// still holds the band, so Λ is nearly exact for linear books); bands round inward to the tick. Cross accounts get
/// directional bands when <see cref="BandConfig.Directional"/> is on (the default): a width on each price's adverse
/// side and another on its favourable side (see <see cref="BoxFixedPoint"/>'s directional part); isolated and
/// portfolio accounts keep the common width. Pure and thread-safe (per-thread scratch buffers).
/// </summary>
public static class RiskBands
{
    /// <summary>
    /// Bands for <paramref name="account"/> at <paramref name="prices"/>, given its <paramref name="previous"/> state.
    /// The guarantee is for the state classified with the returned <see cref="RiskBandSet.State"/> as the previous state
    /// (the engine records it before the next wake-up), not with <paramref name="previous"/>.
    /// </summary>
    public static RiskBandSet Compute(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous)
    {
        var risk = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
        return ComputeAt(account, catalog, prices, config, risk, previous, null);
    }

    /// <summary>
    /// Bands for <paramref name="account"/> when the caller has already valued it: <paramref name="risk"/> must be
    /// <c>MarginEngine.Evaluate(account, catalog, prices, config.Portfolio)</c> (same account, catalog and prices), which
    /// the bands then do not repeat. Same result as the overload without it.
    /// </summary>
    public static RiskBandSet Compute(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, AccountRisk risk, RiskState previous) =>
        ComputeAt(account, catalog, prices, config, risk, previous, null);

    /// <summary>
    /// Bands with per-position previous states for an isolated account (see
    /// <see cref="MarginEngine.State(AccountRisk, RiskState, IReadOnlyDictionary{string, RiskState}, RiskThresholds)"/>).
    /// The guarantee holds for the state computed with the positions' new states as the map
    /// (<see cref="MarginEngine.PositionStates"/> of <paramref name="previousByPosition"/>, fed back as documented there).
    /// </summary>
    public static RiskBandSet Compute(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous, IReadOnlyDictionary<string, RiskState> previousByPosition)
    {
        var risk = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
        return ComputeAt(account, catalog, prices, config, risk, previous, previousByPosition);
    }

    /// <summary>The same bands by the plain decimal bisection, ρ evaluated at every step: the reference for the tests.</summary>
    internal static RiskBandSet ComputeByBisection(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, RiskState previous)
    {
        var risk = MarginEngine.Evaluate(account, catalog, prices, config.Portfolio);
        return ComputeAt(account, catalog, prices, config, risk, previous, null, bisect: true);
    }

    /// <summary>
    /// <paramref name="previousByPosition"/>: the isolated per-position map, or null for the account-level mapping of
    /// <paramref name="previous"/> (<see cref="MarginEngine.PreviousByPosition"/>), as <c>MarginEngine.State</c> does.
    /// </summary>
    private static RiskBandSet ComputeAt(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, AccountRisk risk, RiskState previous, IReadOnlyDictionary<string, RiskState>? previousByPosition, bool bisect = false)
    {
        var t = config.Thresholds;
        if (risk.Mode == MarginMode.Isolated)
        {
            previousByPosition ??= MarginEngine.PreviousByPosition(risk, previous, t);
        }

        var state = previousByPosition is null ? MarginEngine.State(risk, previous, t) : MarginEngine.State(risk, previous, previousByPosition, t);

        // Λ bounded over a box of half-width b is valid for bands no wider than b, and it shrinks with b (over the full
        // max-relative-width box a linear term alone is overstated by (1 + w)², 1.56× at w = 0.25). Every candidate
        // min(b, ρ(b)) is therefore a valid band; the widest is at the fixed point b = ρ(b), found by bisection on b.
        // What does not depend on b (lookups, the boundaries' safety·|g|) is gathered once in BandInputs. For cross and
        // isolated accounts the bisection then runs on a floating-point copy of ρ taken 10⁻⁹ low (BoxFixedPoint.TrySolve):
        // each of its values is below the exact ρ(b), so each is a valid band, and no decimal ρ is evaluated (a
        // re-margin's largest cost before). Only where a bracket cap is within floating-point reach does the decimal
        // bisection run, steered by the same copy.
        var w = config.Bands.MaxRelativeWidth;
        var inputs = BandInputs.For(account, catalog, prices, config, risk, Boundaries(risk, state, previousByPosition, t));
        var guide = bisect || account.Mode == MarginMode.Portfolio ? null : inputs.FixedPoint();
        if (guide is not null && account.Mode == MarginMode.Cross && config.Bands.Directional)
        {
            inputs.PrepareDirectional(guide);
            if (guide.TrySolveDirectional(w, out var alpha, out var beta))
            {
                return inputs.BuildDirectional(state, alpha, beta, guide);
            }
        }

        return Build(account, catalog, prices, state, Bisect(inputs, w, guide));
    }

    /// <summary>
    /// The decimal bisection for the fixed point: best = max of ρ over ρ(w) and the midpoints. When <paramref name="guide"/>
    /// is certain of a midpoint's side, ρ is not evaluated there: below the fixed point ρ(mid) = mid; above it ρ(mid) &lt;
    /// mid only moves the upper end, and since ρ does not increase with b, the largest ρ over those midpoints is ρ at
    /// the last (smallest) of them, evaluated once at the end unless the guide is certain it is below the best already.
    /// </summary>
    private static decimal Bisect(BandInputs inputs, decimal w, BoxFixedPoint? guide)
    {
        if (guide?.Side(w) > 0)
        {
            return w; // ρ(w) = w: no boundary comes near within the widest box
        }

        if (guide is not null && guide.TrySolve(w, out var fast))
        {
            return fast;
        }

        var best = inputs.Rho(w);
        if (best > 0m && best < w)
        {
            var (lo, hi) = (best, w);
            var upperPending = false; // hi is a midpoint whose ρ has not been evaluated
            for (var i = 0; i < BoxBisections; i++)
            {
                var mid = (lo + hi) / 2m;
                switch (guide?.Side(mid) ?? 0)
                {
                    case > 0:
                        best = Math.Max(best, mid);
                        lo = mid;
                        break;
                    case < 0:
                        (hi, upperPending) = (mid, true);
                        break;
                    default:
                        var r = inputs.Rho(mid);
                        best = Math.Max(best, r);
                        (lo, hi, upperPending) = r >= mid ? (mid, hi, upperPending) : (lo, mid, false);
                        break;
                }
            }

            if (upperPending && !guide!.Below(hi, best))
            {
                best = Math.Max(best, inputs.Rho(hi));
            }
        }

        return best;
    }

    /// <summary>
    /// How many of the <see cref="BoundaryCount"/> boundaries limit the band: one count for a cross or portfolio account,
    /// one per position (in <see cref="AccountRisk.Positions"/> order) for an isolated one. <see cref="BoundaryCount"/>
    /// keeps the exit level (the last boundary); one less drops it.
    /// </summary>
    /// <remarks>
    /// Why dropping it is safe. The band promises: every price inside → the state classified with the band's own
    /// state S as the previous state is S (the engine records S before the account is woken again, so that is the
    /// previous state every later classification of this band sees). <see cref="RiskStateMachine.Classify"/> is
    /// <c>Raw</c> except that from a previous Liquidating or Backstop a raw state better than Liquidating stays
    /// Liquidating below the exit level. So for previous = S outside {Liquidating, Backstop} the result is Raw, a
    /// function of the five threshold signs alone, and the exit sign cannot change it; the band still keeps those five
    /// signs, hence Raw, hence the state. At the centre Classify(S) = S (S is a fixed point: a hysteresis result is
    /// Liquidating, which keeps itself below the exit level; any other result is Raw, which Classify with itself as
    /// previous returns unchanged). For S in {Liquidating, Backstop} the exit sign is kept as before.
    /// Isolated accounts apply this per position, with the previous state that position will be classified with next:
    /// its own new state (the per-position map fed back, <see cref="MarginEngine.PositionStates"/>) or, through the
    /// account-level call, <see cref="MarginEngine.PreviousByPosition"/> of S (S for the positions in the worst raw
    /// state, Healthy for the rest). The exit level is kept when either is Liquidating or Backstop, so bands from the
    /// account-level overloads hold with either convention; raw states are constant inside the band, so the
    /// account-level mapping is too. The pool's
    /// sign (Bankrupt) is a separate boundary and always kept. The bands are then no longer promised for the old
    /// previous state: leaving Liquidating at the exit level gives a Healthy band that may dip below the exit level.
    /// </remarks>
    private static int[] Boundaries(AccountRisk risk, RiskState state, IReadOnlyDictionary<string, RiskState>? previousByPosition, RiskThresholds t)
    {
        if (risk.Mode != MarginMode.Isolated || previousByPosition is null)
        {
            return ExitMatters(state) ? WithExit : WithoutExit;
        }

        var next = ExitMatters(state) ? MarginEngine.PreviousByPosition(risk, state, t) : null;
        var counts = new int[risk.Positions.Length];
        for (var p = 0; p < counts.Length; p++)
        {
            var pr = risk.Positions[p];
            var keep = ExitMatters(MarginEngine.PositionState(pr, previousByPosition, t))
                || (next is not null && next.TryGetValue(pr.InstrumentId, out var n) && ExitMatters(n));
            counts[p] = keep ? BoundaryCount : BoundaryCount - 1;
        }

        return counts;
    }

    /// <summary>True for the states whose classification as previous state consults the exit level.</summary>
    private static bool ExitMatters(RiskState state) => state is RiskState.Liquidating or RiskState.Backstop;

    private static readonly int[] WithExit = [BoundaryCount];

    private static readonly int[] WithoutExit = [BoundaryCount - 1];

    /// <summary>Bisection steps for the box fixed point: the band ends within (w − ρ)/2¹⁰ of the widest this bound allows.</summary>
    private const int BoxBisections = 10;

    /// <summary>Boundaries: the five thresholds (0, backstop, liquidation, reduce-only, warning), then the exit level.</summary>
    private const int BoundaryCount = 6;

    /// <summary>
    /// The b-independent part of ρ(b) for one account, gathered once per band computation: specs, marks and prices looked
    /// up once, each boundary's numerator safety·|g| computed once. One instance per thread, reset for each computation
    /// (<see cref="For"/>): its arrays grow to the largest account seen and are reused, so a re-margin allocates none of
    /// them. Counts <c>n</c> (positions) and <c>m</c> (non-zero balances) say how much of each array is in use.
    /// </summary>
    private sealed class BandInputs
    {
        [ThreadStatic]
        private static BandInputs? current;

        private readonly decimal[] ratios = new decimal[BoundaryCount];
        private readonly decimal[] buffers = new decimal[BoundaryCount];
        private readonly BoxFixedPoint guide = new();
        private Account account = null!;
        private RiskCatalog catalog = null!;
        private MarketPrices prices = null!;
        private RiskConfig config = null!;
        private InstrumentSpec[] specs = [];
        private Position[] positions = [];
        private decimal[] marks = [];
        private decimal[] settlementPrices = [];
        private decimal[] collateralPrice = [];
        private decimal[] collateralAbs = [];
        private decimal[] collateralHaircut = [];
        private string[] collateralAsset = [];
        private decimal[] collateralBalance = [];
        private readonly decimal[] gValues = new decimal[BoundaryCount]; // g per boundary (cross and portfolio)
        private bool[] settlementFixed = [];
        private decimal[] numerators = []; // safety·|g| per boundary (cross, portfolio) or per position × boundary (isolated)
        private decimal poolNumerator; // isolated: safety·|pool collateral value|
        private int[] boundaries = []; // boundaries that limit ρ: one count (cross, portfolio) or one per position (isolated); see Boundaries
        private PositionSens[] sens = [];
        private int n; // positions in use
        private int m; // non-zero balances in use

        /// <summary>This thread's instance, reset for <paramref name="account"/> (valid until the thread's next call).</summary>
        public static BandInputs For(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, AccountRisk risk, int[] boundaries)
        {
            var inputs = current ??= new BandInputs();
            inputs.Reset(account, catalog, prices, config, risk, boundaries);
            return inputs;
        }

        private void Reset(Account account, RiskCatalog catalog, MarketPrices prices, RiskConfig config, AccountRisk risk, int[] boundaries)
        {
            (this.account, this.catalog, this.prices, this.config, this.boundaries) = (account, catalog, prices, config, boundaries);
            var t = config.Thresholds;
            (ratios[0], ratios[1], ratios[2], ratios[3], ratios[4], ratios[5]) = (0m, t.BackstopRatio, t.LiquidationRatio, t.ReduceOnlyRatio, t.WarningRatio, t.LiquidationRatio);
            buffers[5] = t.ExitBufferRate;
            n = account.Positions.Count;
            (specs, positions, marks, settlementPrices, sens) = (BoxFixedPoint.Fit(specs, n), BoxFixedPoint.Fit(positions, n), BoxFixedPoint.Fit(marks, n), BoxFixedPoint.Fit(settlementPrices, n), BoxFixedPoint.Fit(sens, n));
            var k = 0;
            foreach (var (id, pos) in account.Positions)
            {
                specs[k] = catalog.Instrument(id);
                positions[k] = pos;
                marks[k] = prices.Mark(id);
                settlementPrices[k] = prices.Price(specs[k].SettlementAsset);
                k++;
            }

            m = 0;
            foreach (var (_, b) in account.Balances)
            {
                m += b != 0m ? 1 : 0;
            }

            (collateralPrice, collateralAbs, collateralHaircut) = (BoxFixedPoint.Fit(collateralPrice, m), BoxFixedPoint.Fit(collateralAbs, m), BoxFixedPoint.Fit(collateralHaircut, m));
            (collateralAsset, collateralBalance) = (BoxFixedPoint.Fit(collateralAsset, m), BoxFixedPoint.Fit(collateralBalance, m));
            var c = 0;
            foreach (var (asset, b) in account.Balances)
            {
                if (b != 0m)
                {
                    (collateralAsset[c], collateralBalance[c]) = (asset, b);
                    collateralPrice[c] = prices.Price(asset);
                    collateralAbs[c] = Math.Abs(b);
                    collateralHaircut[c] = b < 0m ? 1m : catalog.Asset(asset).Haircut.MaxRatio;
                    c++;
                }
            }

            var safety = config.Bands.Safety;
            poolNumerator = 0m;
            if (account.Mode == MarginMode.Isolated)
            {
                poolNumerator = safety * Math.Abs(MarginEngine.CollateralValue(account, catalog, prices));
                numerators = BoxFixedPoint.Fit(numerators, risk.Positions.Length * BoundaryCount);
                for (var p = 0; p < risk.Positions.Length; p++)
                {
                    var pr = risk.Positions[p];
                    for (var j = 0; j < BoundaryCount; j++)
                    {
                        var g = (pr.IsolatedEquity ?? 0m) - (ratios[j] * pr.Maintenance) - (buffers[j] * pr.Notional);
                        numerators[(p * BoundaryCount) + j] = safety * Math.Abs(g);
                    }
                }
            }
            else
            {
                numerators = BoxFixedPoint.Fit(numerators, BoundaryCount);
                for (var j = 0; j < BoundaryCount; j++)
                {
                    var g = risk.Equity - (ratios[j] * risk.Maintenance) - (buffers[j] * risk.Notional);
                    (gValues[j], numerators[j]) = (g, safety * Math.Abs(g));
                }
            }
        }

        /// <summary>The common relative half-width ρ ≤ <paramref name="b"/> keeping every boundary's sign, with Λ bounded over the box [1 − b, 1 + b].</summary>
        public decimal Rho(decimal b)
        {
            var box = new Box(1m - b, 1m + b);
            var rho = b;
            var coll = CollateralLambda(box);
            if (account.Mode == MarginMode.Isolated)
            {
                rho = Math.Min(rho, Width(poolNumerator, coll));
                for (var p = 0; p < n; p++)
                {
                    var pos = positions[p];
                    var s = Sens(specs[p], pos, marks[p], settlementPrices[p], box, pos.IsolatedMargin);
                    for (var j = 0; j < boundaries[p]; j++)
                    {
                        rho = Math.Min(rho, Width(numerators[(p * BoundaryCount) + j], s.Lambda(ratios[j], buffers[j])));
                    }
                }

                return rho;
            }

            for (var p = 0; p < n; p++)
            {
                sens[p] = Sens(specs[p], positions[p], marks[p], settlementPrices[p], box, 0m);
            }

            var pm = account.Mode == MarginMode.Portfolio ? PmTerms(account, catalog, prices, config.Portfolio, box, sens) : ((decimal Collateral, decimal Positions)?)null;
            for (var j = 0; j < boundaries[0]; j++)
            {
                var (ratio, buffer) = (ratios[j], buffers[j]);
                var sum = 0m; // summed from zero in position order, as Enumerable.Sum did
                for (var p = 0; p < n; p++)
                {
                    sum += sens[p].Lambda(pm is null ? ratio : 0m, buffer);
                }

                var lambda = coll + sum;
                if (pm is { } extra)
                {
                    lambda += ratio * (extra.Collateral + extra.Positions);
                }

                rho = Math.Min(rho, Width(numerators[j], lambda));
            }

            return rho;
        }

        private decimal Width(decimal numerator, decimal lambda) => lambda == 0m ? config.Bands.MaxRelativeWidth : numerator / lambda;

        /// <summary>The floating-point copy of ρ over these inputs (cross and isolated accounts): this thread's, reset.</summary>
        public BoxFixedPoint FixedPoint()
        {
            var collateral = 0m;
            for (var c = 0; c < m; c++)
            {
                collateral += collateralPrice[c] * collateralAbs[c] * collateralHaircut[c];
            }

            guide.Reset(account.Mode == MarginMode.Isolated, n, specs, positions, marks, settlementPrices, collateral,
                ratios, buffers, numerators, boundaries, poolNumerator, config.Bands.MaxRelativeWidth);
            return guide;
        }

        /// <summary>
        /// Prepares <paramref name="guide"/> (reset by <see cref="FixedPoint"/> for these inputs) for the directional
        /// solution: the signs of g, which settlement prices are fixed, and the collateral whose price moves.
        /// </summary>
        public void PrepareDirectional(BoxFixedPoint guide)
        {
            var fixedAssets = config.Bands.FixedPriceAssets;
            settlementFixed = BoxFixedPoint.Fit(settlementFixed, n);
            for (var k = 0; k < n; k++)
            {
                settlementFixed[k] = fixedAssets.Contains(specs[k].SettlementAsset);
            }

            var moving = 0m;
            for (var c = 0; c < m; c++)
            {
                if (!fixedAssets.Contains(collateralAsset[c]))
                {
                    moving += collateralPrice[c] * collateralAbs[c] * collateralHaircut[c];
                }
            }

            guide.ResetDirectional(gValues, settlementFixed, moving);
        }

        /// <summary>
        /// The directional band set (see <see cref="BoxFixedPoint"/>'s directional part): each directional price gets
        /// <paramref name="alpha"/> on its adverse side and <paramref name="beta"/> on its favourable side, every other
        /// moving price min(α, β) either side; fixed prices get no band. Marks round inward to the tick.
        /// </summary>
        public RiskBandSet BuildDirectional(RiskState state, decimal alpha, decimal beta, BoxFixedPoint guide)
        {
            var fixedAssets = config.Bands.FixedPriceAssets;
            var sym = Math.Min(alpha, beta);
            var (markIds, markBands) = (new string[n], new PriceBand[n]);
            var (assetIds, assetBands) = (new string[n + m], new PriceBand[n + m]);
            var a = 0;
            for (var k = 0; k < n; k++)
            {
                var (down, up) = guide.MarkDirection(k) switch { > 0 => (alpha, beta), < 0 => (beta, alpha), _ => (sym, sym) };
                var (x, tick) = (marks[k], specs[k].TickSize);
                markIds[k] = positions[k].InstrumentId;
                markBands[k] = new PriceBand(Math.Min(x, Rounding.Up(x * (1m - down), tick)), Math.Max(x, Rounding.Down(x * (1m + up), tick)));
                if (!settlementFixed[k])
                {
                    (assetIds[a], assetBands[a]) = (specs[k].SettlementAsset, Around(settlementPrices[k], sym, sym));
                    a++;
                }
            }

            for (var c = 0; c < m; c++)
            {
                var asset = collateralAsset[c];
                if (fixedAssets.Contains(asset))
                {
                    continue;
                }

                // A settlement price is symmetric (PnL of either sign); collateral alone moves equity with its sign.
                var settles = false;
                for (var k = 0; k < n && !settles; k++)
                {
                    settles = !settlementFixed[k] && string.Equals(specs[k].SettlementAsset, asset, StringComparison.Ordinal);
                }

                var (down, up) = settles ? (sym, sym) : collateralBalance[c] > 0m ? (alpha, beta) : (beta, alpha);
                (assetIds[a], assetBands[a]) = (asset, Around(collateralPrice[c], down, up));
                a++;
            }

            return new RiskBandSet(state, sym, BandMap.From(markIds, markBands, n), BandMap.From(assetIds, assetBands, a));
        }

        private static PriceBand Around(decimal price, decimal down, decimal up) => new(price * (1m - down), price * (1m + up));

        private decimal CollateralLambda(Box box)
        {
            var total = 0m;
            for (var c = 0; c < m; c++)
            {
                total += box.Hi * collateralPrice[c] * collateralAbs[c] * collateralHaircut[c];
            }

            return total;
        }
    }

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

    /// <summary>Sensitivities of one position at mark <paramref name="x"/> and settlement-asset price <paramref name="ps"/>.</summary>
    private static PositionSens Sens(InstrumentSpec spec, Position pos, decimal x, decimal ps, Box box, decimal isolatedMargin)
    {
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
    private static (decimal Collateral, decimal Positions) PmTerms(Account account, RiskCatalog catalog, MarketPrices prices, PortfolioMarginConfig pm, Box box, PositionSens[] sens)
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
            var spec = catalog.Instrument(id);
            var wideSens = Sens(spec, p, prices.Mark(id), prices.Price(spec.SettlementAsset), wide, 0m);
            pos += (factor * wideSens.EquityLambda) + (pm.PositionFloorRate * sens[k].NotionalLambda);
            k++;
        }

        return (coll, pos);
    }

    private static RiskBandSet Build(Account account, RiskCatalog catalog, MarketPrices prices, RiskState state, decimal rho)
    {
        var n = account.Positions.Count;
        var (markIds, markBands) = (new string[n], new PriceBand[n]);
        var (assetIds, assetBands) = (new string[n + account.Balances.Count], new PriceBand[n + account.Balances.Count]);
        var (k, a) = (0, 0);
        foreach (var (id, pos) in account.Positions)
        {
            var spec = catalog.Instrument(id);
            var x = prices.Mark(id);
            var lo = Math.Min(x, Rounding.Up(x * (1m - rho), spec.TickSize));
            var hi = Math.Max(x, Rounding.Down(x * (1m + rho), spec.TickSize));
            (markIds[k], markBands[k]) = (id, new PriceBand(lo, hi));
            k++;
            (assetIds[a], assetBands[a]) = (spec.SettlementAsset, AssetBand(spec.SettlementAsset, prices, rho));
            a++;
        }

        foreach (var (asset, b) in account.Balances)
        {
            if (b != 0m)
            {
                (assetIds[a], assetBands[a]) = (asset, AssetBand(asset, prices, rho));
                a++;
            }
        }

        return new RiskBandSet(state, rho, BandMap.From(markIds, markBands, k), BandMap.From(assetIds, assetBands, a));
    }

    private static PriceBand AssetBand(string asset, MarketPrices prices, decimal rho)
    {
        var p = prices.Price(asset);
        return new PriceBand(p * (1m - rho), p * (1m + rho));
    }
}
