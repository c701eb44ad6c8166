using CrossMargin.Risk.Errors;
using CrossMargin.Risk.Model;

namespace CrossMargin.Risk.Margin;

/// <summary>Per-position formulas, all in the instrument's settlement asset. Pure and thread-safe.</summary>
public static class PositionMath
{
    /// <summary>uPnL: linear cs·(q·M − C) = q·cs·(M − E); inverse cs·(C − q/M) = q·cs·(1/E − 1/M) (coin).</summary>
    public static decimal UnrealizedPnl(InstrumentSpec spec, Position position, decimal mark) =>
        UnrealizedPnl(spec, position.Size, position.Cost, mark);

    /// <summary>uPnL from size and cost basis (see <see cref="Position.Cost"/>).</summary>
    public static decimal UnrealizedPnl(InstrumentSpec spec, decimal size, decimal cost, decimal mark) =>
        spec.Kind == InstrumentKind.LinearPerpetual
            ? spec.ContractSize * ((size * mark) - cost)
            : spec.ContractSize * (cost - (size / mark));

    /// <summary>Cost basis of <paramref name="size"/> at <paramref name="price"/>: q·P (linear) or q/P (inverse).</summary>
    public static decimal CostOf(InstrumentSpec spec, decimal size, decimal price) =>
        spec.Kind == InstrumentKind.LinearPerpetual ? size * price : Rounding.Cost(size / price);

    /// <summary>Notional: linear |q|·cs·M; inverse |q|·cs/M (coin).</summary>
    public static decimal Notional(InstrumentSpec spec, decimal size, decimal mark) =>
        spec.Kind == InstrumentKind.LinearPerpetual
            ? Math.Abs(size) * spec.ContractSize * mark
            : Math.Abs(size) * spec.ContractSize / mark;

    /// <summary>Size in base units of the underlying: linear |q|·cs; inverse |q|·cs/M.</summary>
    public static decimal UnderlyingSize(InstrumentSpec spec, decimal size, decimal mark) =>
        spec.Kind == InstrumentKind.LinearPerpetual ? Math.Abs(size) * spec.ContractSize : Math.Abs(size) * spec.ContractSize / mark;

    /// <summary>MM and IM of a position at <paramref name="mark"/> (settlement asset).</summary>
    public static MarginRequirement Requirement(InstrumentSpec spec, decimal size, decimal mark) =>
        spec.Margin.Requirement(Notional(spec, size, mark), UnderlyingSize(spec, size, mark));

    /// <summary>
    /// Applies a fill of <paramref name="delta"/> at <paramref name="price"/> to <paramref name="position"/> (null = flat).
    /// Adding adds q·P (or q/P) to the cost; reducing removes the closed share of the cost and realizes
    /// cs·(closed·P − cost share) (inverse: cs·(cost share − closed/P)); flipping opens the remainder at the price.
    /// Returns the new position and the realized PnL (settlement asset).
    /// </summary>
    public static (Position Position, decimal Realized) Fill(InstrumentSpec spec, Position? position, decimal delta, decimal price)
    {
        Guard.Positive(price, $"fill[{spec.Id}].price");
        var p = position ?? new Position(spec.Id, 0m, 0m);
        var s = p.Size;
        if (delta == 0m)
        {
            return (p, 0m);
        }

        if (s == 0m || Math.Sign(s) == Math.Sign(delta))
        {
            return (p with { Size = s + delta, Cost = p.Cost + CostOf(spec, delta, price) }, 0m);
        }

        var closed = Math.Sign(s) * Math.Min(Math.Abs(delta), Math.Abs(s));
        // The closed share of the cost is rounded to Rounding.CostDecimals, so cost − share and the realized PnL are exact.
        var closedCost = closed == s ? p.Cost : Rounding.Cost(p.Cost * closed / s);
        var realized = UnrealizedPnl(spec, closed, closedCost, price);
        var remaining = s + delta;
        var cost = remaining == 0m ? 0m : Math.Sign(remaining) == Math.Sign(s) ? p.Cost - closedCost : CostOf(spec, remaining, price);
        return (p with { Size = remaining, Cost = cost, RealizedPnl = p.RealizedPnl + realized }, realized);
    }
}
