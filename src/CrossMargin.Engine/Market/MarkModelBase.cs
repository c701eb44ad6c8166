namespace CrossMargin.Engine.Market;

/// <summary>Shared validation, EMA bookkeeping and snapshotting for the built-in mark models.</summary>
public abstract class MarkModelBase : IMarkPriceModel
{
    private EmaBasis _ema;
    private DateTimeOffset? _lastUpdate;

    /// <summary>Creates the base with the instrument's tick size and the EMA half-life.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is not positive.</exception>
    protected MarkModelBase(decimal tickSize, TimeSpan basisHalfLife)
    {
        if (tickSize <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(tickSize), tickSize, "Tick size must be positive.");
        }

        if (basisHalfLife <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(basisHalfLife), basisHalfLife, "Half-life must be positive.");
        }

        TickSize = tickSize;
        BasisHalfLife = basisHalfLife;
    }

    /// <summary>The instrument's tick size; marks are multiples of it.</summary>
    public decimal TickSize { get; }

    /// <summary>Half-life of the basis EMA.</summary>
    public TimeSpan BasisHalfLife { get; }

    /// <summary>The current smoothed basis, or null before any basis sample.</summary>
    public decimal? EmaBasis => _ema.Value;

    /// <inheritdoc />
    public decimal? Mark { get; private set; }

    /// <inheritdoc />
    public decimal Update(in MarkInputs inputs)
    {
        if (inputs.Index <= 0)
        {
            throw new ArgumentException($"Index price must be positive, was {inputs.Index}.", nameof(inputs));
        }

        if (_lastUpdate is DateTimeOffset last && inputs.Time < last)
        {
            throw new ArgumentException($"Mark input time {inputs.Time:O} is before the previous update {last:O}.", nameof(inputs));
        }

        _lastUpdate = inputs.Time;
        if (inputs.BasisSample is decimal sample)
        {
            _ema.Add(sample, inputs.Time, BasisHalfLife);
        }

        decimal raw = Compute(inputs, inputs.Index + (_ema.Value ?? 0m));
        decimal mark = PriceRounding.ToTick(raw, TickSize);
        Mark = mark > 0 ? mark : TickSize;
        return Mark.Value;
    }

    /// <summary>The unrounded mark from the inputs and <c>index + EMA basis</c> (the EMA already includes this sample).</summary>
    protected abstract decimal Compute(in MarkInputs inputs, decimal indexPlusEmaBasis);

    /// <inheritdoc />
    public MarkModelState Snapshot() => new(_ema.Value, _ema.LastSampleTime, _lastUpdate, Mark);

    /// <inheritdoc />
    public void Restore(MarkModelState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _ema.Value = state.EmaBasis;
        _ema.LastSampleTime = state.LastSampleTime;
        _lastUpdate = state.LastUpdateTime;
        Mark = state.Mark;
    }
}
