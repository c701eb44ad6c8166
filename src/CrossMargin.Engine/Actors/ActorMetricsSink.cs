using System.Globalization;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Simulation;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.States;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// The run's figures, fed by the actors after each event is journaled (the same rules as <see cref="EngineHost"/>).
/// Sums and per-account fates do not depend on the order in which different actors report. Thread-safe (one lock).
/// </summary>
public sealed class ActorMetricsSink
{
    private readonly Lock _gate = new();
    private readonly EngineModel _model;
    private readonly long _marketMaker;

    /// <summary>Creates the sink.</summary>
    public ActorMetricsSink(EngineModel model, long marketMakerId)
    {
        _model = model;
        _marketMaker = marketMakerId;
    }

    /// <summary>The figures (read them after the run has settled).</summary>
    public RunMetrics Metrics { get; } = new();

    /// <summary>Simulated time now, µs since the Unix epoch (set by the driver).</summary>
    public long NowMicros { get; set; }

    private DateTimeOffset Now => UnixTime.FromMicros(NowMicros);

    /// <summary>Account <paramref name="id"/> journaled <paramref name="e"/>; <paramref name="after"/> is its state after it.</summary>
    public void OnAccountEvent(long id, AccountEvent e, EngineAccount after)
    {
        ArgumentNullException.ThrowIfNull(e);
        ArgumentNullException.ThrowIfNull(after);
        lock (_gate)
        {
            var m = Metrics;
            switch (e)
            {
                case Deposited d:
                    m.NetDeposits[d.Asset] = (m.NetDeposits.TryGetValue(d.Asset, out var dep) ? dep : 0m) + d.Amount;
                    break;
                case Withdrawn w:
                    m.NetDeposits[w.Asset] = (m.NetDeposits.TryGetValue(w.Asset, out var wd) ? wd : 0m) - w.Amount;
                    break;
                case RiskStateChanged s:
                    if (s.To == RiskState.Warning && s.From < RiskState.Warning)
                    {
                        m.MarginCalls++;
                        m.Fate(id, AccountFate.MarginCalled);
                    }
                    else if (s.To > RiskState.Warning)
                    {
                        m.Fate(id, AccountFate.MarginCalled);
                    }

                    break;
                case LiquidationFilled f when id != _marketMaker:
                    m.Liquidations++;
                    var spec = _model.Catalog.Instrument(f.Instrument);
                    m.LiquidationNotional += Math.Abs(PositionMath.Notional(spec, f.SizeDelta, f.Price));
                    m.LiquidationRate.Record(Now);
                    m.Fate(id, after.HasPositions ? AccountFate.PartiallyLiquidated : AccountFate.Liquidated);
                    break;
                case WaterfallSettled w when w.Role == "bankrupt":
                    m.Fate(id, AccountFate.Bankrupt);
                    break;
                case WaterfallSettled w when w.Role == "counterparty" && id != _marketMaker:
                    m.Fate(id, AccountFate.Deleveraged);
                    break;
            }
        }
    }

    /// <summary>The coordinator journaled <paramref name="e"/>.</summary>
    public void OnCoordinatorEvent(CoordinatorEvent e)
    {
        lock (_gate)
        {
            Metrics.Observe(e, Now);
        }
    }

    /// <summary>A command was refused.</summary>
    public void OnRefused(CommandReply reply)
    {
        ArgumentNullException.ThrowIfNull(reply);
        lock (_gate)
        {
            Metrics.RefusedCommands++;
            if (Metrics.Refusals.Count < 10)
            {
                Metrics.Refusals.Add($"account {reply.AccountId} command {reply.CommandId}: {reply.Reason}");
            }
        }
    }
}
