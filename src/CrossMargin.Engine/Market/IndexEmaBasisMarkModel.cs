namespace CrossMargin.Engine.Market;

/// <summary>
/// Mark = index + EMA(basis), rounded half-to-even to the tick size; basis = (impact mid or last price) − index.
/// With no trade price in an update the EMA keeps its value and the mark follows the index.
/// </summary>
/// <remarks>Not thread-safe; one instance per instrument feed. See <see cref="MarkModelBase"/> for validation.</remarks>
public sealed class IndexEmaBasisMarkModel : MarkModelBase
{
    /// <summary>Creates the model.</summary>
    /// <param name="tickSize">Instrument tick size (positive).</param>
    /// <param name="basisHalfLife">Half-life of the basis EMA (positive), e.g. 150 s as Hyperliquid uses.</param>
    public IndexEmaBasisMarkModel(decimal tickSize, TimeSpan basisHalfLife)
        : base(tickSize, basisHalfLife)
    {
    }

    /// <inheritdoc />
    protected override decimal Compute(in MarkInputs inputs, decimal indexPlusEmaBasis) => indexPlusEmaBasis;
}
