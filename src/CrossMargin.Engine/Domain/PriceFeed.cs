using CrossMargin.Engine.Bands;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Domain;

/// <summary>
/// The price-feed state machine for one symbol (an instrument, or a collateral asset with its own price): index, mark
/// (mark model + cumulative liquidation impact), and the band index that decides which accounts a new mark wakes.
/// Mutable; one instance belongs to one feed (not thread-safe). The band index is not journaled: woken accounts
/// re-register after every re-margin, and a rebuilt system re-registers every account.
/// </summary>
public sealed class PriceFeed
{
    private readonly IMarkPriceModel _model;
    private readonly SquareRootImpactModel? _impact;
    private readonly DepthThinning? _depth;
    private readonly decimal _halfLifeMicros;
    private long _offsetTime = long.MinValue;

    /// <summary>Creates a feed.</summary>
    /// <param name="symbol">Instrument or asset id.</param>
    /// <param name="tickSize">Price step.</param>
    /// <param name="model">Mark model (owned by this feed).</param>
    /// <param name="impact">Impact model; null for a symbol nothing is liquidated in.</param>
    /// <param name="depth">Depth thinning; null for constant depth.</param>
    /// <param name="capacity">Expected registrations.</param>
    public PriceFeed(string symbol, decimal tickSize, IMarkPriceModel model, SquareRootImpactModel? impact, DepthThinning? depth, int capacity = 16)
    {
        Symbol = symbol;
        PersistenceId = EngineIds.Feed(symbol);
        TickSize = tickSize;
        _model = model;
        _impact = impact;
        _depth = depth;
        Bands = new BandIndex(capacity);
        AssetBands = new BandIndex(capacity);
    }

    /// <summary>
    /// Creates a feed whose impact offset decays toward the index with <paramref name="impactHalfLife"/>: after one
    /// half-life of simulated time the offset is halved (applied at every tick and before every impact, from the event
    /// times, so a replay that folds the same events reaches the same offset).
    /// </summary>
    /// <param name="symbol">Instrument or asset id.</param>
    /// <param name="tickSize">Price step.</param>
    /// <param name="model">Mark model (owned by this feed).</param>
    /// <param name="impact">Impact model; null for a symbol nothing is liquidated in.</param>
    /// <param name="depth">Depth thinning; null for constant depth.</param>
    /// <param name="impactHalfLife">Half-life of the impact offset; null or zero keeps the offset until the next impact (no decay).</param>
    /// <param name="capacity">Expected registrations.</param>
    /// <exception cref="ArgumentOutOfRangeException">The half-life is negative.</exception>
    public PriceFeed(string symbol, decimal tickSize, IMarkPriceModel model, SquareRootImpactModel? impact, DepthThinning? depth, TimeSpan? impactHalfLife, int capacity = 16)
        : this(symbol, tickSize, model, impact, depth, capacity)
    {
        if (impactHalfLife is { } h)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(h, TimeSpan.Zero, nameof(impactHalfLife));
            _halfLifeMicros = h.Ticks / 10m;
        }
    }

    /// <summary>Half-life of the impact offset; null when the offset does not decay.</summary>
    public TimeSpan? ImpactHalfLife => _halfLifeMicros > 0m ? TimeSpan.FromTicks((long)(_halfLifeMicros * 10m)) : null;

    /// <summary>The symbol.</summary>
    public string Symbol { get; }

    /// <summary>The feed's journal stream (<see cref="EngineIds.Feed"/> of <see cref="Symbol"/>), built once.</summary>
    public string PersistenceId { get; }

    /// <summary>Price step.</summary>
    public decimal TickSize { get; }

    /// <summary>Last index price (0 before the first tick).</summary>
    public decimal Index { get; private set; }

    /// <summary>Current mark (0 before the first tick).</summary>
    public decimal Mark { get; private set; }

    /// <summary>Cumulative mark offset from liquidation impact.</summary>
    public decimal ImpactOffset { get; private set; }

    /// <summary>The accounts' bands on this feed's mark.</summary>
    public BandIndex Bands { get; }

    /// <summary>The accounts' bands on this feed's index, for collateral assets priced by it.</summary>
    public BandIndex AssetBands { get; }

    /// <summary>Takes an index tick: folds it through the mark model, adds the impact offset, returns the event (already applied).</summary>
    public IndexTickReceived OnIndex(long timeMicros, decimal index)
    {
        DecayOffset(timeMicros);
        var e = new IndexTickReceived(timeMicros, index, ComputeMark(timeMicros, index));
        Apply(e);
        return e;
    }

    private decimal ComputeMark(long timeMicros, decimal index)
    {
        var modelMark = _model.Update(new MarkInputs(UnixTime.FromMicros(timeMicros), index));
        _depth?.ObservePrice(UnixTime.FromMicros(timeMicros), index);
        return Math.Max(TickSize, modelMark + ImpactOffset);
    }

    /// <summary>Quotes a liquidation order of <paramref name="quantity"/> base units at the current mark and depth.</summary>
    public ImpactQuote? Quote(TradeSide side, decimal quantity)
    {
        if (_impact is null || quantity <= 0m || Mark <= 0m)
        {
            return null;
        }

        return _impact.Quote(side, quantity, Mark, _depth?.DepthFactor ?? 1m);
    }

    /// <summary>Applies the net liquidation flow of a round: the square-root impact of the net quantity moves the mark.</summary>
    /// <returns>The event, or null when the net flow is zero or the feed has no impact model.</returns>
    public ImpactApplied? OnRoundFlow(int round, long timeMicros, decimal netQuantity)
    {
        if (netQuantity == 0m)
        {
            return null;
        }

        var q = Quote(netQuantity < 0m ? TradeSide.Sell : TradeSide.Buy, Math.Abs(netQuantity));
        if (q is null)
        {
            return null;
        }

        _depth?.ObserveLiquidation(UnixTime.FromMicros(timeMicros), Math.Abs(netQuantity));
        var mark = Math.Max(TickSize, q.Value.FinalPrice);
        var e = new ImpactApplied(round, timeMicros, netQuantity, mark - Mark, mark);
        Apply(e);
        return e;
    }

    /// <summary>Time of the latest event folded (µs since the epoch); 0 before any. Orders two folds of the same journal.</summary>
    public long LastEventMicros { get; private set; }

    /// <summary>Folds an event whose mark is already computed (the live path after <see cref="OnIndex"/> or <see cref="OnRoundFlow"/>).</summary>
    public void Apply(FeedEvent e)
    {
        LastEventMicros = Math.Max(LastEventMicros, e switch { IndexTickReceived t => t.TimeMicros, ImpactApplied i => i.TimeMicros, _ => 0L });
        switch (e)
        {
            case IndexTickReceived t:
                DecayOffset(t.TimeMicros);
                Index = t.Index;
                Mark = t.Mark;
                break;
            case ImpactApplied i:
                DecayOffset(i.TimeMicros);
                ImpactOffset += i.PriceChange;
                Mark = i.Mark;
                break;
            default:
                throw new ArgumentException($"unknown feed event {e.GetType().Name}", nameof(e));
        }
    }

    /// <summary>Replay-only fold: re-runs the mark model so its smoothing state matches the live run.</summary>
    public void Recover(FeedEvent e)
    {
        if (e is IndexTickReceived t)
        {
            _model.Update(new MarkInputs(UnixTime.FromMicros(t.TimeMicros), t.Index));
            _depth?.ObservePrice(UnixTime.FromMicros(t.TimeMicros), t.Index);
        }
        else if (e is ImpactApplied i)
        {
            _depth?.ObserveLiquidation(UnixTime.FromMicros(i.TimeMicros), Math.Abs(i.NetQuantity));
        }

        Apply(e);
    }

    /// <summary>Offsets below this many price units are dropped to zero once decaying (keeps decimals short).</summary>
    private const int OffsetDecimals = 10;

    /// <summary>
    /// Decays <see cref="ImpactOffset"/> from the time it was last brought up to date to <paramref name="timeMicros"/>:
    /// offset × 2^(−Δt / half-life) with <see cref="DecimalMath.Pow2Negative"/>, rounded to 10 decimals (deterministic).
    /// Idempotent for one time; never runs backwards.
    /// </summary>
    private void DecayOffset(long timeMicros)
    {
        if (_halfLifeMicros <= 0m)
        {
            return;
        }

        if (ImpactOffset != 0m && _offsetTime != long.MinValue && timeMicros > _offsetTime)
        {
            var halfLives = (timeMicros - _offsetTime) / _halfLifeMicros;
            ImpactOffset = Math.Round(ImpactOffset * DecimalMath.Pow2Negative(halfLives), OffsetDecimals, MidpointRounding.ToEven);
        }

        _offsetTime = Math.Max(_offsetTime, timeMicros);
    }
}
