namespace CrossMargin.Engine.Market;

/// <summary>
/// Tracks one instrument's recent drawdown and liquidated volume and turns them into a depth factor for
/// <see cref="SquareRootImpactModel.Quote"/>; with a <see cref="RecordedDepth"/>, that stress factor multiplies the
/// recorded book's depth factor at the time of the last observation. Stateful and not thread-safe: one instance per
/// instrument, fed in time order (observations with an earlier time than the previous one are rejected).
/// </summary>
public sealed class DepthThinning
{
    private readonly RingDeque<(DateTimeOffset Time, decimal Price)> _highs = new();
    private readonly RingDeque<(DateTimeOffset Time, decimal Quantity)> _liquidations = new();
    private decimal _liquidatedInWindow;
    private decimal? _lastPrice;
    private DateTimeOffset _now = DateTimeOffset.MinValue;

    /// <summary>Creates the tracker; validates the parameters.</summary>
    /// <param name="parameters">How depth thins under stress.</param>
    /// <param name="recorded">A recorded book depth the stress factor multiplies; null for a book that is normal (factor 1) when calm.</param>
    public DepthThinning(DepthThinningParameters parameters, RecordedDepth? recorded = null)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
        Recorded = recorded;
    }

    /// <summary>The thinning parameters.</summary>
    public DepthThinningParameters Parameters { get; }

    /// <summary>The recorded book depth, when the scenario has one (historical runs with a depth file).</summary>
    public RecordedDepth? Recorded { get; }

    /// <summary>Time of the last observation (<see cref="DateTimeOffset.MinValue"/> before any).</summary>
    public DateTimeOffset Now => _now;

    /// <summary>Fall of the last price from the highest price in the window, as a fraction (0 before any price).</summary>
    public decimal Drawdown => _lastPrice is decimal last && _highs.Count > 0 ? 1m - (last / _highs.First.Price) : 0m;

    /// <summary>Liquidated base quantity within the window.</summary>
    public decimal LiquidatedVolume => _liquidatedInWindow;

    /// <summary>
    /// The current depth factor: the stress factor in [Floor, 1], times the recorded factor at <see cref="Now"/> when
    /// there is a <see cref="Recorded"/> depth (in (0, 1]).
    /// </summary>
    public decimal DepthFactor
    {
        get
        {
            DepthThinningParameters p = Parameters;
            decimal stress = (Drawdown / p.DrawdownAtFloor) + (_liquidatedInWindow / p.LiquidationVolumeAtFloor);
            stress = Math.Clamp(stress, 0m, 1m);
            decimal thinning = 1m - ((1m - p.Floor) * stress);
            return Recorded is null ? thinning : Math.Max(thinning * Recorded.FactorAt(_now), Recorded.Minimum);
        }
    }

    /// <summary>Records a price (a tick or a mark) at <paramref name="time"/>.</summary>
    /// <exception cref="ArgumentException">Time went backwards or the price is not positive.</exception>
    public void ObservePrice(DateTimeOffset time, decimal price)
    {
        if (price <= 0)
        {
            throw new ArgumentException($"Price must be positive, was {price}.", nameof(price));
        }

        Advance(time);
        while (_highs.Count > 0 && _highs.Last.Price <= price)
        {
            _highs.RemoveLast();
        }

        _highs.AddLast((time, price));
        _lastPrice = price;
    }

    /// <summary>Records a liquidation of <paramref name="quantity"/> base units at <paramref name="time"/>.</summary>
    /// <exception cref="ArgumentException">Time went backwards or the quantity is negative.</exception>
    public void ObserveLiquidation(DateTimeOffset time, decimal quantity)
    {
        if (quantity < 0)
        {
            throw new ArgumentException($"Quantity must not be negative, was {quantity}.", nameof(quantity));
        }

        Advance(time);
        _liquidations.AddLast((time, quantity));
        _liquidatedInWindow += quantity;
    }

    /// <summary>Moves the window to end at <paramref name="time"/>, forgetting older highs and liquidations.</summary>
    /// <exception cref="ArgumentException">Time went backwards.</exception>
    public void Advance(DateTimeOffset time)
    {
        if (time < _now)
        {
            throw new ArgumentException($"Time {time:O} is before the previous observation {_now:O}.", nameof(time));
        }

        _now = time;
        DateTimeOffset cutoff = time - Parameters.Window;
        while (_highs.Count > 1 && _highs.First.Time < cutoff)
        {
            _highs.RemoveFirst();
        }

        while (_liquidations.Count > 0 && _liquidations.First.Time < cutoff)
        {
            _liquidatedInWindow -= _liquidations.First.Quantity;
            _liquidations.RemoveFirst();
        }
    }
}
