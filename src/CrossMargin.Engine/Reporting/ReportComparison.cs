namespace CrossMargin.Engine.Reporting;

/// <summary>
/// Two reports set side by side: cross vs isolated margin (<c>simulate --compare-modes</c>) or a
/// recorded run vs its what-if re-execution. Holds the figure-by-figure comparison and every account
/// whose fate differs.
/// </summary>
/// <remarks>Immutable; build with <see cref="Create"/>.</remarks>
public sealed record ReportComparison
{
    /// <summary>Label of the first report, e.g. <c>cross</c> or <c>baseline</c>.</summary>
    public required string BaselineLabel { get; init; }

    /// <summary>Label of the second report, e.g. <c>isolated</c> or <c>what-if</c>.</summary>
    public required string CandidateLabel { get; init; }

    /// <summary>The first report.</summary>
    public required SimulationReport Baseline { get; init; }

    /// <summary>The second report.</summary>
    public required SimulationReport Candidate { get; init; }

    /// <summary>Summary figures of both runs, in display order.</summary>
    public required IReadOnlyList<MetricComparison> Metrics { get; init; }

    /// <summary>Every account whose fate differs, ordered by account id (ordinal).</summary>
    public required IReadOnlyList<FateChange> FateChanges { get; init; }

    /// <summary>Compares <paramref name="baseline"/> with <paramref name="candidate"/>.</summary>
    public static ReportComparison Create(SimulationReport baseline, string baselineLabel, SimulationReport candidate, string candidateLabel)
    {
        ArgumentNullException.ThrowIfNull(baseline);
        ArgumentNullException.ThrowIfNull(candidate);
        return new ReportComparison
        {
            BaselineLabel = baselineLabel,
            CandidateLabel = candidateLabel,
            Baseline = baseline,
            Candidate = candidate,
            Metrics = CompareMetrics(baseline, candidate),
            FateChanges = DiffFates(baseline, candidate),
        };
    }

    /// <summary>Accounts whose fate differs between the two reports, by account id (ordinal order).</summary>
    public static IReadOnlyList<FateChange> DiffFates(SimulationReport baseline, SimulationReport candidate)
    {
        var ids = new SortedSet<string>(baseline.AccountFates.Keys, StringComparer.Ordinal);
        ids.UnionWith(candidate.AccountFates.Keys);
        return ids
            .Select(id => new FateChange(id, baseline.FateOf(id), candidate.FateOf(id)))
            .Where(change => change.Before != change.After)
            .ToArray();
    }

    private static MetricComparison[] CompareMetrics(SimulationReport a, SimulationReport b) =>
    [
        Count("accounts", a.Accounts, b.Accounts),
        Count("ticks", a.Ticks, b.Ticks),
        Count("events", a.Events, b.Events),
        Count("margin calls", a.MarginCalls, b.MarginCalls),
        Count("liquidations", a.Liquidations.Count, b.Liquidations.Count),
        Money("liquidation notional", a.Liquidations.Notional, b.Liquidations.Notional),
        Count("cascade rounds", a.CascadeRounds, b.CascadeRounds),
        Count("deepest round", a.DeepestCascadeRound, b.DeepestCascadeRound),
        Money("insurance fund start", a.InsuranceFund.Start, b.InsuranceFund.Start),
        Money("insurance fund minimum", a.InsuranceFund.Minimum, b.InsuranceFund.Minimum),
        Money("insurance fund end", a.InsuranceFund.End, b.InsuranceFund.End),
        Money("bad debt", a.BadDebt, b.BadDebt),
        Count("ADL count", a.Adl.Count, b.Adl.Count),
        Money("ADL notional", a.Adl.Notional, b.Adl.Notional),
        Money("socialized loss", a.SocializedLoss, b.SocializedLoss),
        Count("accounts liquidated or bankrupt", Ruined(a), Ruined(b)),
    ];

    private static long Ruined(SimulationReport r) =>
        r.AccountFates.Values.LongCount(f => f is AccountFate.Liquidated or AccountFate.Bankrupt);

    private static MetricComparison Count(string name, long a, long b) =>
        new(name, a, b, b - a, ReportFormat.Count(a), ReportFormat.Count(b));

    private static MetricComparison Money(string name, decimal a, decimal b) =>
        new(name, a, b, b - a, ReportFormat.Money(a), ReportFormat.Money(b));
}

/// <summary>One summary figure of two runs.</summary>
/// <param name="Name">What the figure is, e.g. <c>bad debt</c>.</param>
/// <param name="Baseline">The first run's value.</param>
/// <param name="Candidate">The second run's value.</param>
/// <param name="Delta">Candidate − baseline.</param>
/// <param name="BaselineText">The first value formatted for display.</param>
/// <param name="CandidateText">The second value formatted for display.</param>
public sealed record MetricComparison(string Name, decimal Baseline, decimal Candidate, decimal Delta, string BaselineText, string CandidateText);

/// <summary>An account whose fate differs between two runs.</summary>
/// <param name="AccountId">The account.</param>
/// <param name="Before">Its fate in the baseline run.</param>
/// <param name="After">Its fate in the candidate run.</param>
public sealed record FateChange(string AccountId, AccountFate Before, AccountFate After);
