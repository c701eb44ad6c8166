namespace CrossMargin.Engine.Market;

/// <summary>
/// A mark-price rule for one instrument. Implementations are stateful (they smooth over time) and not thread-safe:
/// one instance belongs to one price feed. Time comes only from <see cref="MarkInputs.Time"/>, never from a clock,
/// so feeding the same inputs gives the same marks.
/// </summary>
public interface IMarkPriceModel
{
    /// <summary>The last mark returned by <see cref="Update"/>, or null before the first update.</summary>
    decimal? Mark { get; }

    /// <summary>Folds in one observation and returns the new mark, rounded to the instrument's tick size.</summary>
    /// <exception cref="ArgumentException">The index is not positive or the time went backwards.</exception>
    decimal Update(in MarkInputs inputs);

    /// <summary>Captures the model state (immutable).</summary>
    MarkModelState Snapshot();

    /// <summary>Replaces the model state with a snapshot taken from a model with the same parameters.</summary>
    void Restore(MarkModelState state);
}
