namespace CrossMargin.Engine.Market;

/// <summary>
/// Market impact by the square-root law, <c>ΔP = Y·σ·√(Q / V_eff)·P</c> with <c>V_eff = V·depthFactor</c>.
/// Pure and thread-safe (no state); the square root is <see cref="DecimalMath.Sqrt"/>, so quotes are bit-identical
/// on every run.
/// </summary>
public sealed class SquareRootImpactModel
{
    private const decimal AverageFillShare = 2m / 3m;

    /// <summary>Creates the model; validates the parameters.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A parameter is out of range.</exception>
    public SquareRootImpactModel(ImpactParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        parameters.Validate();
        Parameters = parameters;
    }

    /// <summary>The law's parameters.</summary>
    public ImpactParameters Parameters { get; }

    /// <summary>
    /// Quotes an order of <paramref name="quantity"/> against a book at <paramref name="referencePrice"/> whose depth is
    /// <paramref name="depthFactor"/> times normal (see <see cref="DepthThinning"/>).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">Quantity is negative, price not positive, or depth factor not in (0, 1].</exception>
    public ImpactQuote Quote(TradeSide side, decimal quantity, decimal referencePrice, decimal depthFactor = 1m)
    {
        if (quantity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(quantity), quantity, "Quantity must not be negative.");
        }

        if (referencePrice <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(referencePrice), referencePrice, "Reference price must be positive.");
        }

        if (depthFactor <= 0 || depthFactor > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(depthFactor), depthFactor, "Depth factor must be in (0, 1].");
        }

        ImpactParameters p = Parameters;
        decimal relative = p.Y * p.DailyVolatility * DecimalMath.Sqrt(quantity / (p.DailyVolume * depthFactor));
        relative = Math.Min(relative, p.MaxRelativeImpact);
        decimal sign = side == TradeSide.Sell ? -1m : 1m;
        MidpointRounding against = side == TradeSide.Sell ? MidpointRounding.ToNegativeInfinity : MidpointRounding.ToPositiveInfinity;

        decimal final = OnGrid(referencePrice * (1m + (sign * relative)), against);
        decimal average = OnGrid(referencePrice * (1m + (sign * relative * AverageFillShare)), against);
        return new ImpactQuote(side, quantity, referencePrice, relative, final - referencePrice, final, average, depthFactor);
    }

    private decimal OnGrid(decimal price, MidpointRounding mode)
    {
        decimal tick = Parameters.TickSize;
        decimal rounded = PriceRounding.ToTick(price, tick, mode);
        return rounded > 0 ? rounded : tick;
    }
}
