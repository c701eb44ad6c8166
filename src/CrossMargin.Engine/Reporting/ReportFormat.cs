using System.Globalization;

namespace CrossMargin.Engine.Reporting;

/// <summary>Formatting shared by the console summary and the HTML report, so both print the same text.</summary>
/// <remarks>Culture-invariant; pure.</remarks>
public static class ReportFormat
{
    /// <summary>Money with thousands separators and two decimals, e.g. <c>1,234,567.89</c>; exact input, rounded half away from zero for display only.</summary>
    public static string Money(decimal value) =>
        Math.Round(value, 2, MidpointRounding.AwayFromZero).ToString("#,0.00", CultureInfo.InvariantCulture);

    /// <summary>An integer count with thousands separators.</summary>
    public static string Count(long value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Byte size in MiB with one decimal, e.g. <c>812.4 MiB</c>.</summary>
    public static string Bytes(long bytes) =>
        (bytes / (1024.0 * 1024.0)).ToString("0.0", CultureInfo.InvariantCulture) + " MiB";

    /// <summary>A duration as seconds with three decimals, e.g. <c>12.345 s</c>.</summary>
    public static string Duration(TimeSpan duration) =>
        duration.TotalSeconds.ToString("0.000", CultureInfo.InvariantCulture) + " s";

    /// <summary>A rate per second with no decimals and thousands separators.</summary>
    public static string Rate(double perSecond) => perSecond.ToString("#,0", CultureInfo.InvariantCulture) + "/s";

    /// <summary>The lower-case, hyphenated name of a fate, as JSON writes it (e.g. <c>partially-liquidated</c>).</summary>
    public static string Fate(AccountFate fate) => fate switch
    {
        AccountFate.Healthy => "healthy",
        AccountFate.MarginCalled => "margin-called",
        AccountFate.PartiallyLiquidated => "partially-liquidated",
        AccountFate.Liquidated => "liquidated",
        AccountFate.Bankrupt => "bankrupt",
        AccountFate.Deleveraged => "deleveraged",
        _ => throw new ArgumentOutOfRangeException(nameof(fate), fate, "unknown fate"),
    };

    /// <summary>
    /// The summary figures of a report as (label, text) rows, in the order the console table and the
    /// HTML summary print them: every figure the engine issue lists.
    /// </summary>
    public static IReadOnlyList<(string Label, string Value)> SummaryRows(SimulationReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return
        [
            ("scenario", r.Scenario),
            ("margin mode", r.MarginMode.ToName()),
            ("seed", r.Seed.ToString(CultureInfo.InvariantCulture)),
            ("accounts", Count(r.Accounts)),
            ("ticks", Count(r.Ticks)),
            ("events", Count(r.Events)),
            ("margin calls", Count(r.MarginCalls)),
            ("liquidations", $"{Count(r.Liquidations.Count)} (notional {Money(r.Liquidations.Notional)})"),
            ("cascade rounds", $"{Count(r.CascadeRounds)} (deepest {r.DeepestCascadeRound.ToString(CultureInfo.InvariantCulture)})"),
            ("insurance fund", $"start {Money(r.InsuranceFund.Start)} / min {Money(r.InsuranceFund.Minimum)} / end {Money(r.InsuranceFund.End)}"),
            ("bad debt", Money(r.BadDebt)),
            ("ADL", $"{Count(r.Adl.Count)} (notional {Money(r.Adl.Notional)})"),
            ("socialized loss", Money(r.SocializedLoss)),
            ("events/s", Rate(r.EventsPerSecond)),
            ("wall time", Duration(r.WallTime)),
            ("peak memory", Bytes(r.PeakMemoryBytes)),
            ("journal hash", r.JournalHash.Length == 0 ? "(none)" : r.JournalHash),
            ("invariants", r.Invariants.Count == 0 ? "(none checked)" : r.InvariantsHeld ? $"all {r.Invariants.Count} held" : $"{r.Invariants.Count(i => !i.Passed)} VIOLATED"),
        ];
    }
}
