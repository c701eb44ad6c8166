namespace CrossMargin.Engine.Market;

/// <summary>Snapshot of a mark-price model's state, so a price-feed actor can restore it without replaying every tick.</summary>
/// <param name="EmaBasis">Smoothed basis, or null before the first basis sample.</param>
/// <param name="LastSampleTime">Time of the last basis sample folded into the EMA.</param>
/// <param name="LastUpdateTime">Time of the last <see cref="IMarkPriceModel.Update"/> call.</param>
/// <param name="Mark">Last mark returned, or null before the first update.</param>
public sealed record MarkModelState(decimal? EmaBasis, DateTimeOffset? LastSampleTime, DateTimeOffset? LastUpdateTime, decimal? Mark)
{
    /// <summary>The state of a model that has seen nothing.</summary>
    public static MarkModelState Empty { get; } = new(null, null, null, null);
}
