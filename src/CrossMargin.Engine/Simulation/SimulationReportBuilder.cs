using System.Globalization;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using ReportMarginMode = CrossMargin.Engine.Reporting.MarginMode;
using RiskMarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Simulation;

/// <summary>What a finished (or interrupted) run hands <see cref="SimulationReportBuilder.Build"/>: the figures both engines know at the end.</summary>
/// <param name="Scenario">The scenario that ran.</param>
/// <param name="Journal">Where it was journaled (written to the report with a PostgreSQL password masked).</param>
/// <param name="Metrics">The run's figures (both engines fold coordinator events into them the same way).</param>
/// <param name="Partial">True when interrupted.</param>
/// <param name="FirstTick">Simulated time of the first tick fed; null when none was (the report then starts at the scenario's start time).</param>
/// <param name="SimulatedEnd">Simulated time at the end.</param>
/// <param name="InsuranceFund">The fund's balance at the end.</param>
/// <param name="Events">Events journaled (the direct engine's count; the actor engine sets it after reading the journal back).</param>
/// <param name="JournalHash">Hash recorded in the report (the actor engine passes the state hash and replaces it afterwards).</param>
/// <param name="Invariants">Invariants checked on the end state.</param>
/// <param name="MarginRatioBefore">Margin-ratio distribution at the first tick.</param>
/// <param name="MarginRatioAfter">Margin-ratio distribution at the end.</param>
public sealed record RunOutcome(
    Scenario Scenario,
    JournalTarget Journal,
    RunMetrics Metrics,
    bool Partial,
    DateTimeOffset? FirstTick,
    DateTimeOffset SimulatedEnd,
    decimal InsuranceFund,
    long Events,
    string JournalHash,
    IReadOnlyList<InvariantResult> Invariants,
    IReadOnlyList<HistogramBucket> MarginRatioBefore,
    IReadOnlyList<HistogramBucket> MarginRatioAfter);

/// <summary>
/// Assembles the <see cref="SimulationReport"/> of a run from its <see cref="RunOutcome"/>: the one place both engines
/// (<see cref="SimulationRunner"/> and <c>ActorSimulation</c>) build their reports, so the figures mean the same in
/// both. The measured fields (wall time, events/s, peak memory) are left for the caller to set. Pure.
/// </summary>
public static class SimulationReportBuilder
{
    /// <summary>Builds the report; the market maker is left out of the account fates.</summary>
    public static SimulationReport Build(RunOutcome run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var scenario = run.Scenario;
        var m = run.Metrics;
        return new SimulationReport
        {
            Scenario = scenario.Name,
            MarginMode = ToReport(scenario.MarginMode),
            Seed = scenario.Seed,
            Journal = run.Journal.ToString(),
            Partial = run.Partial,
            SimulatedStart = run.FirstTick ?? scenario.StartTime,
            SimulatedEnd = run.SimulatedEnd,
            Accounts = scenario.Population.Count,
            Ticks = m.Ticks,
            Events = run.Events,
            MarginCalls = m.MarginCalls,
            Liquidations = new CountAndNotional(m.Liquidations, m.LiquidationNotional),
            CascadeRounds = m.Rounds,
            DeepestCascadeRound = m.DeepestRound,
            InsuranceFund = new InsuranceFundSummary(m.FundStart, Math.Min(m.FundMin, run.InsuranceFund), run.InsuranceFund),
            BadDebt = m.BadDebt,
            Adl = new CountAndNotional(m.AdlCount, m.AdlNotional),
            SocializedLoss = m.Socialized,
            JournalHash = run.JournalHash,
            Invariants = run.Invariants,
            Instruments = m.Index.Keys.Select(k => new InstrumentSeries(k, m.Index[k].Build(), m.Mark[k].Build())).ToList(),
            LiquidationsPerSecond = m.LiquidationRate.Build(),
            InsuranceFundSeries = m.FundSeries.Build(),
            MarginRatioBefore = run.MarginRatioBefore,
            MarginRatioAfter = run.MarginRatioAfter,
            AccountFates = m.Fates.Where(kv => kv.Key != scenario.MarketMaker.AccountId)
                .OrderBy(kv => kv.Key).ToDictionary(kv => kv.Key.ToString(CultureInfo.InvariantCulture), kv => kv.Value),
        };
    }

    /// <summary>
    /// <paramref name="report"/> with the measured fields set: <paramref name="wall"/> as the wall time, its events per
    /// wall second, and the process's peak working set so far. Call once the run (journal read-back included) is over.
    /// </summary>
    public static SimulationReport WithMeasurements(SimulationReport report, TimeSpan wall)
    {
        ArgumentNullException.ThrowIfNull(report);
        return report with
        {
            WallTime = wall,
            EventsPerSecond = wall.TotalSeconds > 0 ? report.Events / wall.TotalSeconds : 0,
            PeakMemoryBytes = System.Diagnostics.Process.GetCurrentProcess().PeakWorkingSet64,
        };
    }

    /// <summary>The report's name of a risk-core margin mode (<c>cross</c>, <c>isolated</c>, <c>portfolio</c>).</summary>
    public static string ModeName(RiskMarginMode mode) => ToReport(mode).ToName();

    /// <summary>Maps the risk core's margin mode onto the report's.</summary>
    public static ReportMarginMode ToReport(RiskMarginMode mode) => mode switch
    {
        RiskMarginMode.Isolated => ReportMarginMode.Isolated,
        RiskMarginMode.Portfolio => ReportMarginMode.Portfolio,
        _ => ReportMarginMode.Cross,
    };
}
