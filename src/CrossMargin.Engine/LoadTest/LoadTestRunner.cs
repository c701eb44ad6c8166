using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using CrossMargin.Engine.Domain;
using CrossMargin.Engine.Domain.Events;
using CrossMargin.Engine.Market;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Engine.Simulation;
using CrossMargin.Hocon;

namespace CrossMargin.Engine.LoadTest;

/// <summary>
/// <c>crossmargin loadtest</c>: seeds a population on the engine (<see cref="EngineHost"/>), then injects index ticks
/// open-loop at the offered rate on a thread-pool worker in real time, journaling every event, and measures latencies
/// from each tick's scheduled time. One run at a time per instance.
/// </summary>
public sealed class LoadTestRunner
{
    private readonly Config _config;
    private readonly Serilog.ILogger? _log;
    private readonly ILoadClock? _loadClock;

    /// <summary>Creates the runner over the resolved configuration (population, risk and instrument settings).</summary>
    /// <param name="config">The resolved configuration.</param>
    /// <param name="log">Where the run's milestones go; null for none.</param>
    /// <param name="loadClock">The clock injection is paced and timed by; null for real time (<see cref="StopwatchLoadClock"/>).
    /// Tests pass a virtual clock so a run's schedule does not take wall-clock time.</param>
    public LoadTestRunner(Config config, Serilog.ILogger? log = null, ILoadClock? loadClock = null)
    {
        _config = config ?? throw new ArgumentNullException(nameof(config));
        _log = log;
        _loadClock = loadClock;
    }

    /// <summary>Runs <paramref name="settings"/>; cancellation stops injecting, drains and returns a partial report.</summary>
    /// <exception cref="RunInputException">A setting out of range, or a journal that cannot be opened or is not empty.</exception>
    public async Task<LoadTestReport> RunAsync(LoadTestSettings settings, IProgress<LoadTestProgress>? progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (settings.Errors() is { Count: > 0 } errors)
        {
            throw new RunInputException(string.Join("; ", errors));
        }

        var started = DateTimeOffset.UtcNow;
        var setup = Stopwatch.StartNew();
        var (scenario, instruments) = LoadScenario(settings);
        var clock = new SimulationClock(scenario.StartTime);
        var loadClock = _loadClock ?? new StopwatchLoadClock();
        await using var handle = await JournalHandle.OpenAsync(settings.Journal, clock, cancellationToken).ConfigureAwait(false);
        if (!await handle.IsEmptyAsync(cancellationToken).ConfigureAwait(false))
        {
            throw new RunInputException($"journal {settings.Journal} already holds events; loadtest writes a fresh journal (choose another --journal or delete it)");
        }

        var timing = new TimingJournal(handle.Journal, loadClock);
        // Hand batches over whenever the journal is idle (on a pool worker): the lag stays about one write long, the
        // journal's serialization leaves the engine thread, and a drain has at most one batch to finish.
        var writer = new JournalWriter(timing, handle.Serializer, $"loadtest-{settings.Seed.ToString("x16", CultureInfo.InvariantCulture)}")
        {
            FlushWhenIdle = true,
        };
        var spread = settings.Cascade == CascadeMode.Spread;
        var host = new EngineHost(scenario, writer, clock, log: null, spread ? settings.RoundActions : null) { QueuedAccountsWaitForRound = spread };
        // Setup at 100,000 accounts takes tens of seconds: it observes cancellation between its steps (and while
        // registering bands), so Ctrl-C ends it promptly; injection then starts already cancelled and the report is partial.
        if (!cancellationToken.IsCancellationRequested)
        {
            host.Seed();
        }

        if (!cancellationToken.IsCancellationRequested)
        {
            host.RegisterAll(cancellationToken);
        }

        CompleteJournal(writer, cancellationToken); // the setup's events are durable before the window opens
        setup.Stop();
        _log?.Information("loadtest: {Accounts} accounts seeded in {Setup}", settings.Accounts, setup.Elapsed);

        var live = new LiveCount();
        var injection = Task.Factory.StartNew(() => Inject(settings, scenario, instruments, host, writer, timing, loadClock, progress, live, cancellationToken),
            CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        if (!await FinishedAsync(injection, cancellationToken).ConfigureAwait(false))
        {
            // Ctrl-C arrived during one tick whose cascade outlasts the bound (minutes at 100,000 accounts in a crash):
            // report what is known and leave that tick to the process exit rather than miss the shutdown window.
            return Abandoned(settings, instruments, started, setup.Elapsed, handle.Description, Volatile.Read(ref live.Ticks));
        }

        var run = await injection.ConfigureAwait(false);
        var drain = Stopwatch.StartNew();
        var drained = CompleteJournal(writer, cancellationToken);
        drain.Stop();
        // Journal figures after the drain: the last batch of the window is written only then.
        return run with
        {
            StartedAt = started,
            SetupSeconds = setup.Elapsed.TotalSeconds,
            DrainSeconds = drain.Elapsed.TotalSeconds,
            JournalDrained = drained,
            Journal = handle.Description,
            JournalWrite = LatencySummary.From(timing.WriteLatency.Copy()),
            JournalLag = LatencySummary.From(timing.Lag.Copy()),
        };
    }

    private LoadTestReport Inject(LoadTestSettings settings, Scenario scenario, IReadOnlyList<InstrumentMarket> instruments, EngineHost host, JournalWriter writer,
        TimingJournal timing, ILoadClock clock, IProgress<LoadTestProgress>? progress, LiveCount live, CancellationToken cancellationToken)
    {
        var spread = settings.Cascade == CascadeMode.Spread;
        var fills = new FillTimer(clock);
        host.AccountEventObserved = fills.Observe;
        var rounds0 = host.Metrics.Rounds;
        var schedule = new OpenLoopSchedule(settings.Phases());
        var prices = new TickPrices(instruments, settings.Drop, schedule.DurationNanos, settings.Seed);
        var active = new LatencyHistogram();
        var events0 = writer.Events;
        var kinds0 = writer.EventsByType.ToDictionary(kv => kv.Key, kv => kv.Value);
        var calls0 = host.Metrics.MarginCalls;
        var woken0 = host.WokenByTicks;
        var remargins0 = host.Remargins;
        var batches0 = writer.Batches;
        var liq0 = host.Metrics.Liquidations;
        var tickWasActive = false;
        var p99Bound = (long)settings.P99Bound.TotalNanoseconds;
        var backlogBound = (long)settings.BacklogBound.TotalNanoseconds;
        string? reason = null;
        long start = 0;
        var driver = new OpenLoopDriver(schedule, clock)
        {
            Background = spread ? host.RunPendingRound : null,
            BackgroundIntervalNanos = (long)settings.RoundInterval.TotalNanoseconds,
            OnLatency = (_, latency) =>
            {
                if (tickWasActive)
                {
                    active.Record(latency);
                }
            },
            ContinueAfterPhase = settings.StepUp ? phase =>
            {
                var p99 = phase.Latency.Percentile(99);
                if (p99 > p99Bound)
                {
                    reason = $"p99 {p99 / 1e6:0.###} ms at {phase.OfferedRate:#,0} ticks/s exceeds the bound {settings.P99Bound.TotalMilliseconds:0.###} ms";
                    return false;
                }

                if (phase.LagAtEndNanos > backlogBound)
                {
                    reason = $"backlog grew at {phase.OfferedRate:#,0} ticks/s: {phase.BacklogAtEnd:#,0} ticks, {phase.LagAtEndNanos / 1e6:0.#} ms behind schedule";
                    return false;
                }

                return true;
            } : null,
            OnStatus = progress is null ? null : s => progress.Report(new LoadTestProgress(schedule.Phases[Math.Min(s.Phase, schedule.Phases.Count - 1)].Rate, s.Processed,
                Math.Max(0, s.Due - s.Processed), s.ElapsedNanos / 1e9, s.LastLatencyNanos / 1e6, writer.Events - events0, host.Metrics.Liquidations - liq0)),
        };

        var gen0 = GC.CollectionCount(0);
        var gen1 = GC.CollectionCount(1);
        var gen2 = GC.CollectionCount(2);
        var pause0 = GC.GetTotalPauseDuration();
        var alloc0 = GC.GetTotalAllocatedBytes(false);
        var k = instruments.Count;
        var startTime = scenario.StartTime;
        timing.Reset();
        start = clock.NowNanos;
        var result = driver.Run((tick, scheduled) =>
        {
            var before = writer.Events;
            var instrument = instruments[(int)(tick % k)];
            var t = new Tick(instrument.Id, startTime.AddTicks(scheduled / 100), prices.Price(tick, (int)(tick % k), scheduled));
            if (spread)
            {
                host.OnTickDeferringCascade(t);
            }
            else
            {
                host.OnTick(t);
            }

            tickWasActive = writer.Events - before > 1;
            Volatile.Write(ref live.Ticks, tick + 1);
        }, cancellationToken);
        var window = Math.Max(1e-9, result.ElapsedNanos / 1e9);
        var roundsInWindow = host.Metrics.Rounds - rounds0;
        var liquidationsInWindow = host.Metrics.Liquidations - liq0;
        var pendingAtEnd = host.PendingLiquidations;

        // After the window the cascade still queued is worked off (not timed as ticks): its fills still count in
        // margin call → liquidation filled, and the report says how long it took.
        var cascadeDrain = Stopwatch.StartNew();
        var drainRounds = 0L;
        while (!cancellationToken.IsCancellationRequested && host.RunPendingRound())
        {
            drainRounds++;
        }

        cascadeDrain.Stop();
        var pause = GC.GetTotalPauseDuration() - pause0;
        var allocated = GC.GetTotalAllocatedBytes(false) - alloc0;
        var events = writer.Events - events0;
        var steps = result.Phases.Select(p => new StepResult(p.OfferedRate, p.Ticks, Math.Round(p.AchievedRate, 1), LatencySummary.From(p.Latency), p.BacklogAtEnd,
            Math.Round(p.LagAtEndNanos / 1e6, 3), p.Latency.Percentile(99) <= p99Bound && p.LagAtEndNanos <= backlogBound)).ToList();
        long? saturation = null;
        if (settings.StepUp)
        {
            saturation = steps.TakeWhile(s => s.Passed).Select(s => (long?)s.OfferedRate).LastOrDefault();
            reason ??= result.Stopped ? "interrupted" : $"every step up to {schedule.Phases[^1].Rate:#,0} ticks/s passed (the --max-rate)";
        }

        return new LoadTestReport
        {
            Partial = result.Stopped,
            BacklogAtStop = result.BacklogAtStop,
            Machine = Machine(),
            Accounts = settings.Accounts,
            Instruments = instruments.Select(i => i.Id).ToList(),
            TickRate = settings.TickRate,
            DurationSeconds = schedule.DurationNanos / 1e9,
            StepUp = settings.StepUp,
            RunSeconds = Math.Round(window, 3),
            Ticks = result.Processed,
            Events = events,
            EventsByKind = EventKinds(writer.EventsByType, kinds0),
            MarginCalls = host.Metrics.MarginCalls - calls0,
            Liquidations = liquidationsInWindow,
            Cascade = spread ? "spread" : "inline",
            RoundActions = spread ? settings.RoundActions : null,
            Rounds = roundsInWindow,
            PendingLiquidationsAtEnd = pendingAtEnd,
            CascadeDrainSeconds = Math.Round(cascadeDrain.Elapsed.TotalSeconds, 3),
            CascadeDrainRounds = drainRounds,
            CascadeDrainLiquidations = host.Metrics.Liquidations - liq0 - liquidationsInWindow,
            TicksPerSecond = Math.Round(result.Processed / window, 1),
            EventsPerSecond = Math.Round(events / window, 1),
            AccountUpdatesPerSecond = Math.Round(Math.Max(0, events - result.Processed) / window, 1),
            WokenPerTick = Math.Round((host.WokenByTicks - woken0) / (double)Math.Max(1, result.Processed), 3),
            RemarginsPerTick = Math.Round((host.Remargins - remargins0) / (double)Math.Max(1, result.Processed), 3),
            AllocatedBytesPerTick = Math.Round(allocated / (double)Math.Max(1, result.Processed), 0),
            JournalBatches = writer.Batches - batches0,
            TickToMarginDecision = LatencySummary.From(result.Latency),
            ActiveTickToMarginDecision = LatencySummary.From(active),
            MarginCallToLiquidationFilled = LatencySummary.From(fills.Latency),
            JournalWrite = LatencySummary.From(timing.WriteLatency.Copy()),
            JournalLag = LatencySummary.From(timing.Lag.Copy()),
            Gc = new GcFigures(Math.Round(pause.TotalMilliseconds, 3), Math.Round(pause.TotalSeconds * 100 / window, 3), GC.CollectionCount(0) - gen0,
                GC.CollectionCount(1) - gen1, GC.CollectionCount(2) - gen2, allocated, Math.Round(allocated / window, 0), GC.GetGCMemoryInfo().HeapSizeBytes,
                Process.GetCurrentProcess().PeakWorkingSet64),
            Steps = steps,
            SaturationRate = saturation,
            SaturationReason = reason,
            LatencyOverTime = result.Intervals.Select(i => new LatencyPoint(i.Second, i.Ticks, i.P50Nanos / 1e6, i.P99Nanos / 1e6, i.MaxNanos / 1e6)).ToList(),
            Histogram = Bars(result.Latency),
        };
    }

    /// <summary>Longest a cancelled run waits for the tick in progress (with its cascade) to finish.</summary>
    internal static readonly TimeSpan InterruptedTickBound = TimeSpan.FromSeconds(15);

    /// <summary>Ticks completed, readable from another thread while the injection runs.</summary>
    private sealed class LiveCount
    {
        public long Ticks;
    }

    /// <summary>True when the injection ended; false when it was cancelled and its tick in progress outlasted <see cref="InterruptedTickBound"/>.</summary>
    private static async Task<bool> FinishedAsync(Task injection, CancellationToken cancellationToken)
    {
        try
        {
            await injection.WaitAsync(cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested && !injection.IsCompleted)
        {
            // Cancelled: the driver stops after the tick in progress; wait for it, bounded.
        }

        try
        {
            await injection.WaitAsync(InterruptedTickBound).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>The partial report of a run whose last tick was still running when the bounded wait gave up.</summary>
    private static LoadTestReport Abandoned(LoadTestSettings settings, IReadOnlyList<InstrumentMarket> instruments, DateTimeOffset started, TimeSpan setup, string journal, long ticks)
    {
        var empty = LatencySummary.From(new LatencyHistogram());
        return new LoadTestReport
        {
            Partial = true,
            Machine = Machine(),
            StartedAt = started,
            Accounts = settings.Accounts,
            Instruments = instruments.Select(i => i.Id).ToList(),
            TickRate = settings.TickRate,
            StepUp = settings.StepUp,
            SetupSeconds = setup.TotalSeconds,
            Journal = journal,
            Ticks = ticks,
            JournalDrained = false,
            TickToMarginDecision = empty,
            ActiveTickToMarginDecision = empty,
            MarginCallToLiquidationFilled = empty,
            JournalWrite = empty,
            JournalLag = empty,
            Gc = new GcFigures(0, 0, 0, 0, 0, 0, 0, GC.GetGCMemoryInfo().HeapSizeBytes, Process.GetCurrentProcess().PeakWorkingSet64),
            Interruption = $"interrupted during tick {ticks + 1:#,0}, whose cascade was still running {InterruptedTickBound.TotalSeconds:0} s after Ctrl-C: latency figures were not collected",
        };
    }

    /// <summary>Longest a cancelled run waits for its last journal write (the rest of a 30 s shutdown window goes to the report).</summary>
    internal static readonly TimeSpan CancelledDrainBound = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Waits until everything appended is durable; once <paramref name="cancellationToken"/> is cancelled, waits at most
    /// <see cref="CancelledDrainBound"/> and returns false if a write is still in flight (the report says so).
    /// </summary>
    private static bool CompleteJournal(JournalWriter writer, CancellationToken cancellationToken)
    {
        if (!cancellationToken.IsCancellationRequested)
        {
            // Poll so that a Ctrl-C arriving during a long write (the setup's tail) still bounds the wait.
            while (!writer.TryComplete(TimeSpan.FromMilliseconds(100)))
            {
                if (cancellationToken.IsCancellationRequested)
                {
                    return writer.TryComplete(CancelledDrainBound);
                }
            }

            return true;
        }

        return writer.TryComplete(CancelledDrainBound);
    }

    /// <summary>Merges the log-linear buckets into bars a quarter of a power of two wide (ms).</summary>
    internal static IReadOnlyList<LatencyBar> Bars(LatencyHistogram h)
    {
        var bars = new SortedDictionary<int, long>();
        foreach (var (lower, _, count) in h.NonEmptyBuckets())
        {
            var key = lower <= 0 ? 0 : (int)Math.Floor(Math.Log2(lower) * 4);
            bars[key] = (bars.TryGetValue(key, out var c) ? c : 0) + count;
        }

        return bars.Select(b => new LatencyBar(Math.Round(Math.Pow(2, b.Key / 4.0) / 1e6, 6), Math.Round(Math.Pow(2, (b.Key + 1) / 4.0) / 1e6, 6), b.Value)).ToList();
    }

    private (Scenario Scenario, IReadOnlyList<InstrumentMarket> Instruments) LoadScenario(LoadTestSettings settings)
    {
        var config = _config;
        var configured = config.GetConfig("crossmargin.engine.instruments").Root.Keys.OrderBy(k => k, StringComparer.Ordinal).ToList();
        var overlay = new StringBuilder();
        for (var i = configured.Count; i < settings.Instruments; i++)
        {
            // Extra instruments are copies of the configured ones (same specs and underlying), traded like them.
            var template = configured[i % configured.Count];
            var id = $"LT{(i + 1).ToString("00", CultureInfo.InvariantCulture)}-PERP";
            overlay.Append(CultureInfo.InvariantCulture, $"crossmargin.engine.instruments.\"{id}\" = ${{crossmargin.engine.instruments.\"{template}\"}}\n");
            overlay.Append(CultureInfo.InvariantCulture, $"crossmargin.engine.population.instruments.\"{id}\" = 0.1\n");
        }

        if (overlay.Length > 0)
        {
            config = ConfigurationFactory.ParseString(overlay.ToString(), "loadtest", config);
        }

        var scenario = ScenarioLoader.Load(config, new ScenarioOverrides { Scenario = "crash", Accounts = settings.Accounts, Seed = settings.Seed });
        var instruments = scenario.Instruments.Take(settings.Instruments).ToList();
        return (scenario, instruments);
    }

    /// <summary>Counts of the window (now minus at its start) by kind, most numerous first, then by name.</summary>
    private static List<EventKindCount> EventKinds(IReadOnlyDictionary<Type, long> now, Dictionary<Type, long> atStart) =>
        now.Select(kv => new EventKindCount(kv.Key.Name, kv.Value - atStart.GetValueOrDefault(kv.Key)))
            .Where(k => k.Count > 0)
            .OrderByDescending(k => k.Count)
            .ThenBy(k => k.Kind, StringComparer.Ordinal)
            .ToList();

    private static string Machine() =>
        $"{Environment.ProcessorCount} cores, {RuntimeInformation.OSDescription}, {RuntimeInformation.FrameworkDescription}";

    /// <summary>
    /// Margin call → liquidation filled, per fill: an account's call is its move from below Warning to Warning or worse
    /// (cleared when it recovers below Warning); each of its fills records the time since. Attached after the setup, so
    /// accounts already called at the opening prices are not timed. Runs on the engine thread;
    /// reads the clock with <see cref="ILoadClock.PeekNanos"/> (observing is not engine work).
    /// </summary>
    private sealed class FillTimer(ILoadClock clock)
    {
        private readonly Dictionary<long, long> _calledAt = new();

        public LatencyHistogram Latency { get; } = new();

        public void Observe(long account, AccountEvent e)
        {
            switch (e)
            {
                case RiskStateChanged s when s.From < Risk.States.RiskState.Warning && s.To >= Risk.States.RiskState.Warning:
                    _calledAt[account] = clock.PeekNanos;
                    break;
                case RiskStateChanged s when s.To < Risk.States.RiskState.Warning:
                    _calledAt.Remove(account);
                    break;
                case LiquidationFilled when account != EngineIds.MarketMaker && _calledAt.TryGetValue(account, out var at):
                    Latency.Record(clock.PeekNanos - at);
                    break;
            }
        }
    }
}
