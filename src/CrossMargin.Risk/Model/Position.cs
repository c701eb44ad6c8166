namespace CrossMargin.Risk.Model;

/// <summary>An open position, kept as size and cost basis so every fill conserves money exactly.</summary>
/// <param name="InstrumentId">Instrument code.</param>
/// <param name="Size">Signed size (+ long, − short), in base units (linear) or contracts (inverse).</param>
/// <param name="Cost">
/// Cost basis of the open size: linear Σ qᵢ·Pᵢ (quote units); inverse Σ qᵢ/Pᵢ (coin per unit of contract size).
/// Keeping the sum, not an averaged price, means uPnL needs no rounded average and both sides of a trade stay exact.
/// </param>
/// <param name="RealizedPnl">PnL realized on this instrument so far (settlement asset); informational.</param>
/// <param name="IsolatedMargin">Margin assigned to this position in isolated mode (settlement asset); 0 otherwise.</param>
public sealed record Position(string InstrumentId, decimal Size, decimal Cost, decimal RealizedPnl = 0m, decimal IsolatedMargin = 0m)
{
    /// <summary>
    /// A position of <paramref name="size"/> opened at <paramref name="entryPrice"/>; the cost basis is rounded exactly as
    /// a fill rounds it (<see cref="Margin.PositionMath.CostOf"/>), so it equals the position one opening fill builds.
    /// </summary>
    public static Position Open(InstrumentSpec spec, decimal size, decimal entryPrice, decimal isolatedMargin = 0m) =>
        new(spec.Id, size, Margin.PositionMath.CostOf(spec, size, entryPrice), 0m, isolatedMargin);

    /// <summary>Average entry price (quote per base unit): Cost/Size (linear) or Size/Cost (inverse, harmonic mean); 0 when flat.</summary>
    public decimal EntryPrice(InstrumentKind kind) =>
        Size == 0m ? 0m : kind == InstrumentKind.LinearPerpetual ? Cost / Size : Size / Cost;
}
