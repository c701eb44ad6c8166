using System.Runtime.CompilerServices;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Tests;

internal static class Reports
{
    public static readonly DateTimeOffset Start = new(2025, 10, 10, 21, 0, 0, TimeSpan.Zero);

    public static SimulationReport For(SimulationRequest request, bool invariantsHold = true, bool partial = false) => new()
    {
        Scenario = request.Scenario,
        MarginMode = request.MarginMode ?? MarginMode.Cross,
        Seed = request.Seed ?? 7,
        Journal = request.Journal.ToString(),
        Partial = partial,
        SimulatedStart = Start,
        SimulatedEnd = Start.AddMinutes(10),
        Accounts = request.Accounts ?? 100,
        Ticks = 600,
        Events = 5_000,
        MarginCalls = 12,
        Liquidations = new CountAndNotional(5, 250_000.5m),
        CascadeRounds = 3,
        DeepestCascadeRound = 2,
        InsuranceFund = new InsuranceFundSummary(1_000_000m, 990_000m, 995_000m),
        BadDebt = 1_234.56m,
        Adl = new CountAndNotional(1, 10_000m),
        SocializedLoss = 0m,
        EventsPerSecond = 50_000,
        WallTime = TimeSpan.FromSeconds(1.5),
        PeakMemoryBytes = 200L * 1024 * 1024,
        JournalHash = "abc123",
        Invariants = [new InvariantResult("money-conservation", invariantsHold, invariantsHold ? "" : "in 1,000,000.00 != out 999,999.00 (account acct-7)")],
        Instruments = [new InstrumentSeries("BTC-PERP",
            [new TimePoint(Start, 100_000m), new TimePoint(Start.AddMinutes(10), 70_000m)],
            [new TimePoint(Start, 100_010m), new TimePoint(Start.AddMinutes(10), 69_000m)])],
        LiquidationsPerSecond = [new TimePoint(Start.AddSeconds(60), 2m)],
        InsuranceFundSeries = [new TimePoint(Start, 1_000_000m), new TimePoint(Start.AddMinutes(10), 995_000m)],
        MarginRatioBefore = MarginRatioHistogram.Build([(10m, 100m)]),
        MarginRatioAfter = MarginRatioHistogram.Build([(110m, 100m)]),
        AccountFates = request.MarginMode == MarginMode.Isolated
            ? new Dictionary<string, AccountFate> { ["acct-1"] = AccountFate.PartiallyLiquidated }
            : new Dictionary<string, AccountFate> { ["acct-1"] = AccountFate.Bankrupt, ["acct-2"] = AccountFate.Liquidated },
    };
}

internal sealed class FakeSimulationRunner : ISimulationRunner
{
    public List<SimulationRequest> Requests { get; } = [];

    public Func<SimulationRequest, CancellationToken, Task<SimulationReport>>? Behaviour { get; init; }

    public async Task<SimulationReport> RunAsync(SimulationRequest request, IProgress<SimulationProgress> progress, CancellationToken cancellationToken)
    {
        Requests.Add(request);
        progress.Report(new SimulationProgress(Reports.Start, 1, 600, 10, 0, 0, 0m, 1_000_000m, 0));
        progress.Report(new SimulationProgress(Reports.Start.AddMinutes(10), 600, 600, 5_000, 12, 5, 250_000.5m, 995_000m, 2));
        return Behaviour is null ? Reports.For(request) : await Behaviour(request, cancellationToken);
    }
}

internal sealed class FakeReplayRunner(string stateHash, string? recordedHash) : IReplayRunner
{
    public ReplayRequest? Request { get; private set; }

    public Task<ReplayResult> ReplayAsync(ReplayRequest request, IProgress<ReplayProgress> progress, CancellationToken cancellationToken)
    {
        Request = request;
        progress.Report(new ReplayProgress(5_000, 5_000));
        var state = new ReplayState(Reports.Start.AddMinutes(10), 5_000, 995_000m,
            [new ReplayedInstrument("BTC-PERP", 70_000m, 69_000m, 12.5m, 12.5m)],
            [new ReplayedAccount("acct-9", 1_000m, 950m, 2, AccountFate.MarginCalled)], 100);
        return Task.FromResult(new ReplayResult(stateHash, recordedHash, 5_000, 102, 3, state));
    }
}

internal sealed class FakeWhatIfRunner : IWhatIfRunner
{
    public WhatIfRequest? Request { get; private set; }

    public Task<WhatIfResult> RunAsync(WhatIfRequest request, IProgress<SimulationProgress> progress, CancellationToken cancellationToken)
    {
        Request = request;
        var baseline = Reports.For(new SimulationRequest { Scenario = "crash", Journal = request.SourceJournal, RunId = "r" });
        var changed = Reports.For(new SimulationRequest { Scenario = "crash", Journal = request.TargetJournal, RunId = "r", MarginMode = MarginMode.Isolated });
        return Task.FromResult(new WhatIfResult(baseline, changed));
    }
}

internal sealed class FakeJournalInspector : IJournalInspector
{
    private static readonly JournalEntryView[] Entries =
    [
        new(1, "account-acct-1", 1, Reports.Start, "Deposited", "1,000.00 USDT"),
        new(2, "account-acct-1", 2, Reports.Start.AddSeconds(1), "PositionOpened", "BTC-PERP +0.5 @ 100,000"),
        new(3, "feed-BTC-PERP", 1, Reports.Start.AddSeconds(2), "TickReceived", "BTC-PERP 99,500"),
    ];

    public Task<IReadOnlyList<JournalStreamSummary>> ListAsync(JournalTarget journal, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<JournalStreamSummary>>([new("account-acct-1", 2, 2, Reports.Start.AddSeconds(1)), new("feed-BTC-PERP", 1, 1, Reports.Start.AddSeconds(2))]);

    public Task<IReadOnlyList<JournalEntryView>> ShowAsync(JournalTarget journal, string account, long fromSequenceNr, int limit, CancellationToken cancellationToken) =>
        account == "acct-1"
            ? Task.FromResult<IReadOnlyList<JournalEntryView>>(Entries.Where(e => e.PersistenceId == "account-acct-1" && e.SequenceNr >= fromSequenceNr).Take(limit).ToArray())
            : throw new RunInputException($"journal {journal}: no account '{account}'");

    public async IAsyncEnumerable<JournalEntryView> TailAsync(JournalTarget journal, int count, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        foreach (var e in Entries.TakeLast(count))
        {
            await Task.Yield();
            yield return e;
        }
    }

    public Task<JournalStats> StatsAsync(JournalTarget journal, CancellationToken cancellationToken) =>
        Task.FromResult(new JournalStats(3, 2, 0, Reports.Start, Reports.Start.AddSeconds(2),
            new Dictionary<string, long> { ["TickReceived"] = 1, ["Deposited"] = 1, ["PositionOpened"] = 1 }, 1, 4096));
}
