using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Bands;

/// <summary>
/// Directional bands for a cross account, in floating point over the inputs <see cref="BoxFixedPoint.Reset"/> copied.
/// </summary>
/// <remarks>
/// <para>Every boundary g_j = equity − t_j·MM − r_j·notional moves the same way with a position's mark for every
/// threshold: up with a long linear mark, down with a short one (and likewise for inverse contracts), as long as
/// t_j·(marginal maintenance rate) + r_j &lt; 1, which is checked over the widest box. A positive collateral balance
/// only raises every g with its price, a liability only lowers it. For such a price (direction σ = ±1) a move to its
/// favourable side cannot push a g &gt; 0 below zero, and a move to its adverse side cannot lift a g &lt; 0 above
/// zero. So the band has two widths: α on each price's adverse side, limited only by the boundaries with g ≥ 0, and β
/// on its favourable side, limited only by those with g ≤ 0 (none for a healthy account: β is the widest band). A price
/// whose direction is not fixed — the settlement asset's price of a position (its PnL can have either sign), or the
/// mark of a long so large that its marginal rate reaches 1/t — keeps a symmetric width min(α, β). Prices the engine
/// never moves (<see cref="BandConfig.FixedPriceAssets"/>) get no band and no sensitivity.</para>
/// <para>Why it is valid. Move the prices from the centre to any point of the band one at a time. A directional price
/// moved to its favourable side changes each g in its harmless sense (the direction holds over the whole box); moved
/// to its adverse side by at most α·x, it changes g by at most α times the sensitivity bounded over that side
/// (with every other price anywhere in the box); a symmetric price by at most min(α, β) times its sensitivity over its
/// whole range. Summed, that stays under safety·|g| for every boundary, so no g changes sign.</para>
/// <para>α is the fixed point of the same bisection as the symmetric band (the box's favourable sides taken at the
/// widest width, so α does not depend on β); β then with the adverse sides fixed at α. Each value is taken 10⁻⁹ below
/// the floating-point bound (its error is near 10⁻¹³), so each candidate is a valid band. When a bracket cap is within
/// floating-point reach the method declines and the caller keeps the symmetric band.</para>
/// </remarks>
internal sealed partial class BoxFixedPoint
{
    private readonly int[] rowSign = new int[6]; // sign of g per boundary (cross): +1, −1 or 0
    private bool[] psFixed = [];
    private int[] markSigma = [];
    private double collateralSens; // Σ |balance|·haircut·price over the assets whose price moves
    private double tMax, bufMax; // largest threshold ratio and buffer rate among the boundaries that count

    /// <summary>Direction of position <paramref name="k"/>'s mark from the last <see cref="TrySolveDirectional"/>: +1, −1, or 0 (symmetric).</summary>
    public int MarkDirection(int k) => markSigma[k];

    /// <summary>
    /// Copies what the directional solution needs beyond <see cref="Reset"/>: the sign of each boundary's g (cross rows),
    /// which positions settle in an asset whose price is fixed, and the collateral sensitivity of the assets whose
    /// price moves.
    /// </summary>
    public void ResetDirectional(decimal[] gSigns, bool[] settlementFixed, decimal movingCollateral)
    {
        for (var j = 0; j < rowSign.Length; j++)
        {
            rowSign[j] = Math.Sign(gSigns[j]);
        }

        (psFixed, markSigma) = (Fit(psFixed, n), Fit(markSigma, n));
        Array.Copy(settlementFixed, psFixed, n);
        collateralSens = (double)movingCollateral;
        (tMax, bufMax) = (0d, 0d);
        for (var j = 0; j < boundaries[0]; j++)
        {
            (tMax, bufMax) = (Math.Max(tMax, ratios[j]), Math.Max(bufMax, buffers[j]));
        }
    }

    /// <summary>
    /// The adverse width α and favourable width β (relative, each ≤ the widest band) of a cross account's directional
    /// bands. A maintenance rate whose step is within floating-point reach is taken at the higher step, so this does not
    /// decline today; false would mean nothing to use (the caller keeps the symmetric band).
    /// </summary>
    public bool TrySolveDirectional(decimal maxWidth, out decimal alpha, out decimal beta)
    {
        (alpha, beta) = (0m, 0m);
        var w = (double)maxWidth;
        (nearStep, stepsUp) = (false, true);
        try
        {
            return Solve(maxWidth, w, out alpha, out beta);
        }
        finally
        {
            stepsUp = false;
        }
    }

    private bool Solve(decimal maxWidth, double w, out decimal alpha, out decimal beta)
    {
        (alpha, beta) = (0m, 0m);
        for (var k = 0; k < n; k++)
        {
            markSigma[k] = Direction(k, w);
        }

        if (nearStep)
        {
            return false;
        }

        var a = Solve(adverse: true, w, w);
        if (nearStep)
        {
            return false;
        }

        var b = w;
        for (var j = 0; j < boundaries[0]; j++)
        {
            if (rowSign[j] <= 0)
            {
                b = Solve(adverse: false, w, a);
                break;
            }
        }

        if (nearStep)
        {
            return false;
        }

        alpha = ToWidth(a, w, maxWidth);
        beta = ToWidth(b, w, maxWidth);
        return true;
    }

    private static decimal ToWidth(double value, double w, decimal maxWidth) =>
        value >= w ? maxWidth : Math.Min(maxWidth, Math.Max(0m, (decimal)value));

    /// <summary>
    /// +1 when every counted boundary rises with position <paramref name="k"/>'s mark over the widest box, −1 when every
    /// one falls, 0 when that is not certain. Long linear and short inverse positions need t·(marginal rate) + r &lt; 1.
    /// </summary>
    private int Direction(int k, double w)
    {
        if (a[k] == 0d)
        {
            return 0;
        }

        var rises = q[k] > 0d;
        var alwaysDefinite = linear[k] ? !rises : rises;
        if (alwaysDefinite)
        {
            return rises ? 1 : -1;
        }

        var nMax = linear[k] ? a[k] * x[k] * (1d + w) : a[k] / (x[k] * (1d - w));
        var slope = Slope(k, nMax);
        return (tMax * slope) + bufMax < 1d - Margin ? (rises ? 1 : -1) : 0;
    }

    /// <summary>
    /// The fixed-point bisection for one side: α (<paramref name="adverse"/>, boundaries with g ≥ 0, the favourable
    /// sides at <paramref name="other"/> = the widest width) or β (g ≤ 0, the adverse sides at <paramref name="other"/> = α).
    /// </summary>
    private double Solve(bool adverse, double w, double other)
    {
        var best = SideRho(adverse, w, other);
        if (best > 0d && best < w)
        {
            var (lo, hi) = (best, w);
            for (var i = 0; i < Bisections && !nearStep; i++)
            {
                var mid = (lo + hi) / 2d;
                var r = SideRho(adverse, mid, other);
                best = Math.Max(best, r);
                (lo, hi) = r >= mid ? (mid, hi) : (lo, mid);
            }
        }

        return best;
    }

    private double SideRho(bool adverse, double e, double other) => Math.Min(e, SideF(adverse, e, other) * (1d - Margin));

    /// <summary>
    /// min over the side's boundaries of safety·|g| / Λ, where Λ sums, per unit of relative move: each directional mark's
    /// sensitivity over its side of the box [centre, centre ± e]; each symmetric mark's over ±min(e, other side); each
    /// moving settlement price's with its mark anywhere in its range; and the moving collateral.
    /// </summary>
    private double SideF(bool adverse, double e, double other)
    {
        var sym = adverse ? e : Math.Min(e, other); // symmetric prices move by at most min(α, β)
        double em = collateralSens, mm = 0d, nn = 0d;
        for (var k = 0; k < n; k++)
        {
            var s = markSigma[k];
            var ph = psFixed[k] ? 1d : 1d + sym;
            double xl, xh;
            if (s == 0)
            {
                (xl, xh) = (1d - sym, 1d + sym);
            }
            else
            {
                // The side this pass bounds: adverse is down for a rising mark, favourable is up.
                var down = (s > 0) == adverse;
                (xl, xh) = down ? (1d - e, 1d) : (1d, 1d + e);
            }

            var (pe, pm, pn) = MarkSens(k, xl, xh, ph);
            (em, mm, nn) = (em + pe, mm + pm, nn + pn);
            if (!psFixed[k])
            {
                // The settlement price's own sensitivity, with the mark anywhere in its range for this pass.
                var (fl, fh) = s == 0 ? (1d - sym, 1d + sym) : FullRange(s, adverse, e, other);
                var (se, sm, sn) = SettlementSens(k, fl, fh);
                (em, mm, nn) = (em + se, mm + sm, nn + sn);
            }
        }

        var f = double.MaxValue;
        for (var j = 0; j < boundaries[0]; j++)
        {
            if (adverse ? rowSign[j] >= 0 : rowSign[j] <= 0)
            {
                f = Math.Min(f, Width(numerators[j], em + (ratios[j] * mm) + (buffers[j] * nn)));
            }
        }

        return f;
    }

    /// <summary>A directional mark's whole range in this pass: the side being solved at e, the other side at <paramref name="other"/>.</summary>
    private static (double Lo, double Hi) FullRange(int sigma, bool adverse, double e, double other)
    {
        // Rising mark: adverse side is down. Falling mark: adverse side is up.
        var (down, up) = (sigma > 0) == adverse ? (e, other) : (other, e);
        return (1d - down, 1d + up);
    }

    /// <summary>Mark sensitivity of position k (per unit of relative move) with the mark in [xl, xh]·x and the settlement price ≤ ph·ps.</summary>
    private (double E, double M, double N) MarkSens(int k, double xl, double xh, double ph)
    {
        if (a[k] == 0d)
        {
            return (0d, 0d, 0d);
        }

        double unit, nMax;
        if (linear[k])
        {
            unit = ph * ps[k] * a[k] * x[k]; // |∂(ps·u)/∂x|·x = ps·a·x
            nMax = a[k] * xh * x[k];
        }
        else
        {
            unit = ph * ps[k] * a[k] / (xl * xl * x[k]); // ps·a·x/x'² with x' ≥ xl·x
            nMax = a[k] / (xl * x[k]);
        }

        var r = Slope(k, nMax);
        return (unit, unit * r, unit);
    }

    /// <summary>Settlement-price sensitivity of position k (per unit of relative move) with its mark in [fl, fh]·x: |u| + t·MM + r·N bounds.</summary>
    private (double E, double M, double N) SettlementSens(int k, double fl, double fh)
    {
        if (a[k] == 0d)
        {
            return (0d, 0d, 0d);
        }

        double uMax, nMax;
        if (linear[k])
        {
            uMax = cs[k] * Math.Max(Math.Abs((q[k] * fh * x[k]) - c[k]), Math.Abs((q[k] * fl * x[k]) - c[k]));
            nMax = a[k] * fh * x[k];
        }
        else
        {
            uMax = cs[k] * Math.Max(Math.Abs(c[k] - (q[k] / (fl * x[k]))), Math.Abs(c[k] - (q[k] / (fh * x[k]))));
            nMax = a[k] / (fl * x[k]);
        }

        var r = Slope(k, nMax);
        return (ps[k] * uMax, ps[k] * r * nMax, ps[k] * nMax);
    }
}
