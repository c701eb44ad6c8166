namespace CrossMargin.Engine.Market;

/// <summary>
/// Mark = index rounded to the tick size: the baseline with no smoothing (the basis EMA is still tracked and exposed
/// through <see cref="MarkModelBase.EmaBasis"/> but not used).
/// </summary>
public sealed class IndexMarkModel : MarkModelBase
{
    /// <summary>Creates the model for an instrument with the given tick size.</summary>
    public IndexMarkModel(decimal tickSize)
        : base(tickSize, TimeSpan.FromMinutes(1))
    {
    }

    /// <inheritdoc />
    protected override decimal Compute(in MarkInputs inputs, decimal indexPlusEmaBasis) => inputs.Index;
}
