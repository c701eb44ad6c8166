using CrossMargin.Engine.Market;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Scenarios;

/// <summary>
/// Market settings of one perpetual (HOCON <c>crossmargin.engine.instruments.&lt;id&gt;</c>): its risk spec, starting
/// price, mark model, impact law and depth thinning. Immutable.
/// </summary>
/// <param name="Spec">The risk core's instrument spec (tick size, lot size, bracket table).</param>
/// <param name="InitialPrice">Index and mark before the first tick, and the price every seed trade fills at (on the tick grid).</param>
/// <param name="MarkModel">Mark model kind.</param>
/// <param name="BasisHalfLife">EMA half-life of the basis (ignored by <see cref="MarkModelKind.Index"/>).</param>
/// <param name="Impact">Square-root impact law parameters (tick size equals <see cref="InstrumentSpec.TickSize"/>).</param>
/// <param name="DepthThinning">How depth thins under stress.</param>
/// <param name="ImpactHalfLife">Half-life over which liquidation impact fades from the mark (<c>impact.half-life</c>); null = never fades.</param>
public sealed record InstrumentMarket(
    InstrumentSpec Spec,
    decimal InitialPrice,
    MarkModelKind MarkModel,
    TimeSpan BasisHalfLife,
    ImpactParameters Impact,
    DepthThinningParameters DepthThinning,
    TimeSpan? ImpactHalfLife = null)
{
    /// <summary>Instrument id.</summary>
    public string Id => Spec.Id;

    /// <summary>
    /// The recorded order-book depth of this instrument (historical scenarios with <c>depth-file</c>, for
    /// <c>depth-instrument</c>); every <see cref="CreateDepthThinning"/> multiplies its stress factor by it. Null otherwise.
    /// </summary>
    public RecordedDepth? RecordedDepth { get; init; }

    /// <summary>A fresh mark model for one feed (models are stateful: one per feed, never shared).</summary>
    public IMarkPriceModel CreateMarkModel() => MarkModel switch
    {
        MarkModelKind.Index => new IndexMarkModel(Spec.TickSize),
        MarkModelKind.IndexEmaBasis => new IndexEmaBasisMarkModel(Spec.TickSize, BasisHalfLife),
        _ => new MedianOfThreeMarkModel(Spec.TickSize, BasisHalfLife),
    };

    /// <summary>A square-root impact model for this instrument (stateless, thread-safe).</summary>
    public SquareRootImpactModel CreateImpactModel() => new(Impact);

    /// <summary>A fresh depth-thinning tracker (stateful: one per feed or coordinator), over the <see cref="RecordedDepth"/> when there is one.</summary>
    public DepthThinning CreateDepthThinning() => new(DepthThinning, RecordedDepth);
}
