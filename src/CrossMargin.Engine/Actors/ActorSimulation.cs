using System.Diagnostics;
using System.Globalization;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Simulation;
using CrossMargin.Persistence.InMemory;
using CrossMargin.Persistence.Snapshot;
using CrossMargin.Persistence.Sql;
using CrossMargin.Persistence.Sql.Snapshot;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;

namespace CrossMargin.Engine.Actors;

/// <summary>
/// <c>simulate --engine actors</c>: runs a scenario on the <see cref="ActorEngine"/> into a fresh journal (with
/// account snapshots in the same store) and builds the report. <c>RunStarted</c>/<c>RunCompleted</c> go on the
/// <c>run</c> persistence id as with the direct engine; the journal hash is the read-back hash of everything before
/// <c>RunCompleted</c> (the interleaving of persistence ids is not reproducible with actors, so neither is this hash;
/// per persistence id the events are). All four invariants are checked as on the direct path: money conservation,
/// open-interest balance and no unassigned loss on the settled actors' state (<see cref="Invariants.Check(EngineModel, MarketPrices, IReadOnlyList{EngineAccount}, CoordinatorView, string, RunMetrics)"/>),
/// contiguous sequence numbers on the journal read back.
/// </summary>
public static class ActorSimulation
{
    /// <summary>Runs <paramref name="scenario"/> into <paramref name="target"/>.</summary>
    public static async Task<SimulationReport> RunAsync(Scenario scenario, JournalTarget target, string runId, IProgress<SimulationProgress>? progress,
        Serilog.ILogger? log, InMemoryJournal? sharedJournal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        ArgumentNullException.ThrowIfNull(target);
        var wall = Stopwatch.StartNew();
        var clock = new SimulationClock(scenario.StartTime);
        await using var handle = await JournalHandle.OpenAsync(target, clock, cancellationToken, sharedJournal, scenario.Journal.BatchSize).ConfigureAwait(false);
        if (!await handle.IsEmptyAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new RunInputException($"journal {target} already holds events; simulate writes a fresh journal and never appends to or rewrites a recorded run (choose another --journal or delete the file)");
        }

        var serializer = ActorEngine.RegisterSnapshots(handle.Serializer);
        ISnapshotStore snapshots = target.Kind == JournalKind.InMemory
            ? new InMemorySnapshotStore(serializer)
            : await SqlSnapshotStore.OpenAsync(new SqlJournalOptions(target.Kind == JournalKind.Sqlite ? SqlBackend.Sqlite : SqlBackend.Postgres, target.Location)
                {
                    Clock = clock,
                    GroupCommit = new Persistence.Batching.GroupCommitOptions(MaxBatchRows: scenario.Journal.BatchSize),
                },
                serializer, cancellationToken).ConfigureAwait(false);
        try
        {
            var run = new JournalWriter(handle.Journal, serializer, $"sim-{scenario.Seed.ToString("x16", CultureInfo.InvariantCulture)}");
            run.Append(EngineIds.Run, new RunStarted(runId, scenario.Name, scenario.Seed, SimulationReportBuilder.ModeName(scenario.MarginMode), scenario.Population.Count,
                scenario.ConfigText, EngineSerialization.SchemaVersion));
            run.Flush();
            var report = await Task.Run(() => Run(scenario, handle, snapshots, clock, target, progress, log, cancellationToken), CancellationToken.None).ConfigureAwait(false);
            var verified = await JournalVerifier.VerifyAsync(handle.Read, serializer, typeof(RunCompleted), CancellationToken.None).ConfigureAwait(false);
            run.Append(EngineIds.Run, new RunCompleted(verified.Hash, verified.Events, report.JournalHash, report.Partial));
            run.Complete();
            wall.Stop();
            return SimulationReportBuilder.WithMeasurements(report with
            {
                JournalHash = verified.Hash,
                Events = verified.Events + 1, // + RunCompleted, counted as the direct engine counts it
                Invariants = [.. report.Invariants, verified.Sequences],
            }, wall.Elapsed);
        }
        finally
        {
            if (snapshots is IAsyncDisposable d)
            {
                await d.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    // JournalHash carries the state hash out of here (RunCompleted wants both); the caller replaces it.
    private static SimulationReport Run(Scenario scenario, JournalHandle handle, ISnapshotStore snapshots, SimulationClock clock, JournalTarget target,
        IProgress<SimulationProgress>? progress, Serilog.ILogger? log, CancellationToken cancellationToken)
    {
        using var engine = new ActorEngine(scenario, handle.Journal, snapshots, new ActorEngineOptions { SnapshotEvery = scenario.Journal.SnapshotInterval }, log);
        engine.Seed();
        engine.RegisterAll();
        var before = MarginRatioHistogram.Build(MarginInputs(engine, scenario));
        var partial = false;
        DateTimeOffset? first = null;
        var sinceReport = Stopwatch.StartNew();
        var m = engine.Metrics.Metrics;
        foreach (var tick in scenario.CreateTickSource().Ticks())
        {
            if (cancellationToken.IsCancellationRequested)
            {
                partial = true;
                break;
            }

            first ??= tick.Time;
            clock.Set(UnixTime.FromMicros(Math.Max(UnixTime.ToMicros(engine.Now), tick.TimeMicros)));
            engine.OnTick(tick);
            if (progress is not null && sinceReport.Elapsed > TimeSpan.FromMilliseconds(200))
            {
                sinceReport.Restart();
                var v = engine.CoordinatorView();
                progress.Report(new SimulationProgress(engine.Now, m.Ticks, scenario.TotalTicks, 0, m.MarginCalls, m.Liquidations, m.LiquidationNotional, v.InsuranceFund, 0));
            }
        }

        var after = MarginRatioHistogram.Build(MarginInputs(engine, scenario));
        var view = engine.CoordinatorView();
        var accounts = engine.Accounts();
        var invariants = Invariants.Check(engine.Model, engine.Prices, accounts, view, scenario.Coordinator.InsuranceFundAsset, m);
        var stateHash = StateHasher.Hash(accounts, engine.FeedStates(), view.InsuranceFund, view.FeePool);
        return SimulationReportBuilder.Build(new RunOutcome(scenario, target, m, partial, first, engine.Now, view.InsuranceFund, 0, stateHash, invariants, before, after));
    }

    private static IEnumerable<(decimal MaintenanceMargin, decimal Equity)> MarginInputs(ActorEngine engine, Scenario scenario)
    {
        var prices = engine.Prices;
        foreach (var a in engine.Accounts())
        {
            if (a.Id != scenario.MarketMaker.AccountId)
            {
                var risk = MarginEngine.Evaluate(a.Account, engine.Model.Catalog, prices, engine.Model.Risk.Portfolio);
                yield return (risk.Maintenance, risk.Equity);
            }
        }
    }
}
