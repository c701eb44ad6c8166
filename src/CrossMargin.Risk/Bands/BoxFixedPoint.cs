using System.Runtime.CompilerServices;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Bands;

/// <summary>
/// A floating-point copy of the bound ρ(b) of <see cref="RiskBands"/>. It finds the box fixed point b = ρ(b) by itself
/// (<see cref="TrySolve"/>: every value taken 10⁻⁹ below the copy, so below the exact ρ and a valid band), and where it
/// cannot be trusted it steers the exact decimal bisection instead (<see cref="Side"/>, <see cref="Below"/>: the exact ρ
/// is then evaluated only where the answer is too close to call, with the plain bisection's steps). Only the band's
/// relative width comes from floating point; prices, band edges and money amounts stay decimal. Where a bracket cap
/// lies within floating-point reach of the notional bound (the maintenance rate steps there), or the margin rule is
/// neither a bracket table nor linear in size, it declares itself unsure. Cross and isolated accounts; reset for each
/// band computation and used on one thread.
/// </summary>
internal sealed partial class BoxFixedPoint
{
    /// <summary>Relative gap below which the floating-point comparison is not trusted (its error is near 10⁻¹³).</summary>
    private const double Margin = 1e-9;

    private static readonly ConditionalWeakTable<BracketTable, double[][]> Steps = new();

    private readonly double[] ratios = new double[6], buffers = new double[6];
    private bool isolated;
    private double[] x = [], ps = [], q = [], c = [], cs = [], a = [], iso = [], numerators = [];
    private int[] boundaries = []; // boundaries that limit ρ, exactly as the exact ρ skips them (the exit level last)
    private bool[] linear = [];
    private MarginRule[] rules = [];
    private double[]?[] caps = [], rates = [];
    private int n; // positions in use (the arrays are reused and may be longer)
    private double collateral; // Σ price·|balance|·haircut bound (times Hi gives the collateral Λ)
    private double poolNumerator;
    private double maxWidth;
    private bool nearStep; // the last F met a bracket cap within floating-point reach: its answer is not trusted
    private bool stepsUp; // directional pass: a rate near a cap is taken as the higher one instead (see Slope)

    /// <summary>
    /// Copies the inputs of ρ(b) for the first <paramref name="count"/> positions to doubles, reusing this instance's
    /// arrays (one instance per thread: see RiskBands' inputs). <paramref name="boundaries"/> (not copied; not changed)
    /// says how many of the boundaries per row of <paramref name="numerators"/> count — one entry for cross, one per
    /// position for isolated — and must be what the exact ρ uses, or the guide would steer the bisection to another
    /// fixed point.
    /// </summary>
    public void Reset(
        bool isolated, int count, InstrumentSpec[] specs, Position[] positions, decimal[] marks, decimal[] settlementPrices,
        decimal collateralBound, decimal[] ratios, decimal[] buffers, decimal[] numerators, int[] boundaries, decimal poolNumerator, decimal maxWidth)
    {
        (this.isolated, this.boundaries, n) = (isolated, boundaries, count);
        (x, ps, q, c, cs, a, iso) = (Fit(x, n), Fit(ps, n), Fit(q, n), Fit(c, n), Fit(cs, n), Fit(a, n), Fit(iso, n));
        (linear, rules, caps, rates) = (Fit(linear, n), Fit(rules, n), Fit(caps, n), Fit(rates, n));
        for (var k = 0; k < n; k++)
        {
            var spec = specs[k];
            (x[k], ps[k]) = ((double)marks[k], (double)settlementPrices[k]);
            (q[k], c[k], cs[k]) = ((double)positions[k].Size, (double)positions[k].Cost, (double)spec.ContractSize);
            a[k] = (double)(Math.Abs(positions[k].Size) * spec.ContractSize);
            iso[k] = isolated ? Math.Abs((double)positions[k].IsolatedMargin) : 0d;
            linear[k] = spec.Kind == InstrumentKind.LinearPerpetual;
            rules[k] = spec.Margin;
            (caps[k], rates[k]) = (null, null);
            if (spec.Margin is BracketTable table)
            {
                var steps = Steps.GetValue(table, Build);
                (caps[k], rates[k]) = (steps[0], steps[1]);
            }
        }

        collateral = (double)collateralBound;
        for (var j = 0; j < this.ratios.Length; j++)
        {
            (this.ratios[j], this.buffers[j]) = ((double)ratios[j], (double)buffers[j]);
        }

        var rows = isolated ? n * this.ratios.Length : this.ratios.Length;
        this.numerators = Fit(this.numerators, rows);
        for (var j = 0; j < rows; j++)
        {
            this.numerators[j] = (double)numerators[j];
        }

        this.poolNumerator = (double)poolNumerator;
        this.maxWidth = (double)maxWidth;
    }

    /// <summary><paramref name="array"/> when it holds <paramref name="count"/>, else a new one at least twice as long (contents not kept).</summary>
    internal static T[] Fit<T>(T[] array, int count) => array.Length >= count ? array : new T[Math.Max(count, array.Length * 2)];

    /// <summary>
    /// Which side of the fixed point <paramref name="b"/> lies on: +1 when ρ(b) = b for certain (f(b) exceeds b by far
    /// more than floating-point error), −1 when ρ(b) &lt; b for certain, 0 when it is too close to tell (the caller then
    /// evaluates the exact ρ).
    /// </summary>
    public int Side(decimal b)
    {
        var d = (double)b;
        var f = F(d);
        return nearStep ? 0 : f >= d * (1d + Margin) ? 1 : f <= d * (1d - Margin) ? -1 : 0;
    }

    /// <summary>True when ρ(<paramref name="b"/>), for b above the fixed point, is certainly below <paramref name="value"/>.</summary>
    public bool Below(decimal b, decimal value) => F((double)b) <= (double)value * (1d - Margin) && !nearStep;

    /// <summary>
    /// The band's relative half-width found in floating point alone: the same bisection for the box fixed point as the
    /// exact one (best of ρ over the widest box and ten midpoints), with ρ(b) taken as min(b, F(b)·(1 − 10⁻⁹)). F's
    /// error is near 10⁻¹³ (positive sums of products of converted decimals), so each such value is below the exact
    /// ρ(b) and is a valid band on its own; the best of them is returned, rounded down to a decimal. It may differ from
    /// the decimal bisection's result by less than one bisection step, never by being unsafe. False (and the caller
    /// takes the decimal bisection) when a bracket cap lies within floating-point reach, where the rate steps.
    /// </summary>
    public bool TrySolve(decimal maxWidth, out decimal rho)
    {
        rho = 0m;
        var w = (double)maxWidth;
        var best = Rho(w);
        if (nearStep)
        {
            return false;
        }

        if (best > 0d && best < w)
        {
            var (lo, hi) = (best, w);
            for (var i = 0; i < Bisections; i++)
            {
                var mid = (lo + hi) / 2d;
                var r = Rho(mid);
                if (nearStep)
                {
                    return false;
                }

                best = Math.Max(best, r);
                (lo, hi) = r >= mid ? (mid, hi) : (lo, mid);
            }
        }

        // (decimal)double keeps 15 significant digits and may round up by 10⁻¹⁵: the margin in Rho covers it; the cap at
        // the widest box is restored exactly.
        rho = best >= w ? maxWidth : Math.Min(maxWidth, Math.Max(0m, (decimal)best));
        return true;
    }

    /// <summary>Bisection steps, as the decimal bisection's.</summary>
    private const int Bisections = 10;

    private double Rho(double b) => Math.Min(b, F(b) * (1d - Margin));

    /// <summary>min over boundaries of safety·|g| / Λ(b), the same bound as the exact ρ without the cap at b.</summary>
    private double F(double b)
    {
        nearStep = false;
        var (lo, hi) = (1d - b, 1d + b);
        var coll = hi * collateral;
        double e = 0d, mm = 0d, nn = 0d, f = double.MaxValue;
        if (isolated)
        {
            f = Width(poolNumerator, coll);
        }

        for (var k = 0; k < n; k++)
        {
            var (pe, pm, pn) = Sens(k, lo, hi);
            if (isolated)
            {
                for (var j = 0; j < boundaries[k]; j++)
                {
                    f = Math.Min(f, Width(numerators[(k * ratios.Length) + j], pe + (ratios[j] * pm) + (buffers[j] * pn)));
                }
            }
            else
            {
                (e, mm, nn) = (e + pe, mm + pm, nn + pn);
            }
        }

        if (!isolated)
        {
            for (var j = 0; j < boundaries[0]; j++)
            {
                f = Math.Min(f, Width(numerators[j], coll + e + (ratios[j] * mm) + (buffers[j] * nn)));
            }
        }

        return f;
    }

    private double Width(double numerator, double lambda) => lambda == 0d ? maxWidth : numerator / lambda;

    private (double E, double M, double N) Sens(int k, double lo, double hi)
    {
        var psHi = hi * ps[k];
        if (a[k] == 0d)
        {
            return (psHi * iso[k], 0d, 0d);
        }

        double uMax, nMax, xLambdaUnit;
        if (linear[k])
        {
            uMax = cs[k] * Math.Max(Math.Abs((q[k] * hi * x[k]) - c[k]), Math.Abs((q[k] * lo * x[k]) - c[k]));
            nMax = a[k] * hi * x[k];
            xLambdaUnit = hi * hi * ps[k] * a[k] * x[k];
        }
        else
        {
            uMax = cs[k] * Math.Max(Math.Abs(c[k] - (q[k] / (lo * x[k]))), Math.Abs(c[k] - (q[k] / (hi * x[k]))));
            nMax = a[k] / (lo * x[k]);
            xLambdaUnit = hi * ps[k] * a[k] / (lo * lo * x[k]);
        }

        var r = Slope(k, nMax);
        return (xLambdaUnit + (psHi * (uMax + iso[k])), (xLambdaUnit * r) + (psHi * r * nMax), xLambdaUnit + (psHi * nMax));
    }

    /// <summary>The rule's largest maintenance rate up to <paramref name="nMax"/> (brackets: the rate of the bracket holding it).</summary>
    /// <remarks>
    /// Where the decimal notional could fall on the other side of a cap the rate (a step) is uncertain: the symmetric
    /// solution then declares itself unsure (<c>nearStep</c>), to stay on the plain bisection's result; with
    /// <c>stepsUp</c> (directional bands, which promise no such equality) the higher rate is taken, which only
    /// narrows the band.
    /// </remarks>
    private double Slope(int k, double nMax)
    {
        if (caps[k] is { } cap)
        {
            var r = rates[k]!;
            for (var j = 0; j < cap.Length; j++)
            {
                var near = Math.Abs(cap[j] - nMax) <= Margin * cap[j];
                if (near && stepsUp)
                {
                    return r[Math.Min(j + 1, r.Length - 1)];
                }

                nearStep |= near;
                if (cap[j] >= nMax)
                {
                    return r[j];
                }
            }

            return r[^1];
        }

        if (stepsUp)
        {
            // Any rule: its largest rate a hair above the notional (rates do not fall with notional), a hair higher.
            return (double)rules[k].MaxMaintenanceSlope(ToDecimal(nMax * (1d + Margin))) * (1d + Margin);
        }

        // A linear-in-size rule's slope does not depend on the notional; any other rule may step anywhere: not trusted.
        nearStep |= rules[k] is not LinearInSizeRule;
        return (double)rules[k].MaxMaintenanceSlope(ToDecimal(nMax));
    }

    private static decimal ToDecimal(double value) => value >= (double)decimal.MaxValue ? decimal.MaxValue : (decimal)value;

    private static double[][] Build(BracketTable table)
    {
        var caps = new double[table.Brackets.Length];
        var rates = new double[table.Brackets.Length];
        var max = 0m;
        for (var j = 0; j < table.Brackets.Length; j++)
        {
            max = Math.Max(max, table.Brackets[j].MaintenanceRate);
            (caps[j], rates[j]) = ((double)table.Brackets[j].NotionalCap, (double)max);
        }

        return [caps, rates];
    }
}
