using System.Text.Json;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.LoadTest;

/// <summary>One figure of two load-test reports side by side.</summary>
/// <param name="Name">Figure, e.g. <c>tick p99 ms</c>.</param>
/// <param name="Baseline">Value in A.</param>
/// <param name="Candidate">Value in B.</param>
/// <param name="Ratio">B ÷ A (null when A is 0).</param>
/// <param name="HigherIsBetter">True for throughputs, false for latencies, pauses and memory.</param>
/// <param name="Regression">B is worse than A by more than the threshold.</param>
public sealed record MetricComparison(string Name, double Baseline, double Candidate, double? Ratio, bool HigherIsBetter, bool Regression);

/// <summary>Reads, writes and compares <c>report.json</c> files of <c>crossmargin loadtest</c>. Stateless.</summary>
public static class LoadTestComparison
{
    /// <summary>Writes <paramref name="report"/> as JSON to <paramref name="path"/> (LF, stable property order).</summary>
    public static void Write(LoadTestReport report, string path) =>
        File.WriteAllText(path, JsonSerializer.Serialize(report, ReportJson.Options) + "\n");

    /// <summary>Reads a load-test report.</summary>
    /// <exception cref="ReportFormatException">Not a load-test report of schema version 1, or malformed (the message names the file).</exception>
    public static LoadTestReport Read(string path)
    {
        if (!File.Exists(path))
        {
            throw new ReportFormatException(Path.GetFullPath(path), "the file does not exist");
        }

        try
        {
            var report = JsonSerializer.Deserialize<LoadTestReport>(File.ReadAllText(path), ReportJson.Options)
                ?? throw new ReportFormatException(path, "empty report");
            if (report.Kind != "loadtest" || report.SchemaVersion != 1)
            {
                throw new ReportFormatException(path, $"kind '{report.Kind}', schema version {report.SchemaVersion}; accepted a loadtest report of schema version 1");
            }

            return report;
        }
        catch (JsonException e)
        {
            throw new ReportFormatException($"{path}:{e.LineNumber + 1}:{e.BytePositionInLine + 1}", e.Message, e);
        }
    }

    /// <summary>The figures compared, with the direction that counts as better.</summary>
    public static IReadOnlyList<(string Name, double Value, bool HigherIsBetter)> Figures(LoadTestReport r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return
        [
            ("ticks/s", r.TicksPerSecond, true),
            ("events/s", r.EventsPerSecond, true),
            ("account updates/s", r.AccountUpdatesPerSecond, true),
            ("tick p50 ms", r.TickToMarginDecision.P50, false),
            ("tick p90 ms", r.TickToMarginDecision.P90, false),
            ("tick p99 ms", r.TickToMarginDecision.P99, false),
            ("tick p99.9 ms", r.TickToMarginDecision.P999, false),
            ("tick max ms", r.TickToMarginDecision.Max, false),
            ("liquidation p99 ms", r.MarginCallToLiquidationFilled.P99, false),
            ("journal write p99 ms", r.JournalWrite.P99, false),
            ("journal lag p99 ms", r.JournalLag.P99, false),
            ("gc pause ms", r.Gc.PauseTotalMs, false),
            ("allocation MB/s", r.Gc.AllocationRateBytesPerSecond / 1e6, false),
            ("allocation KB/tick", r.AllocatedBytesPerTick / 1e3, false),
            ("re-margins/tick", r.RemarginsPerTick, false),
            ("liquidations queued at end", r.PendingLiquidationsAtEnd, false),
            ("cascade drain s", r.CascadeDrainSeconds, false),
            ("peak working set MB", r.Gc.PeakWorkingSetBytes / 1e6, false),
            ("saturation ticks/s", r.SaturationRate ?? 0, true),
        ];
    }

    /// <summary>
    /// Compares every figure: ratio B ÷ A; a regression when a lower-is-better figure grew by more than
    /// <paramref name="threshold"/> (0.1 = 10%) or a higher-is-better one fell by more than it. Figures 0 in both are equal.
    /// </summary>
    public static IReadOnlyList<MetricComparison> Compare(LoadTestReport baseline, LoadTestReport candidate, double threshold)
    {
        if (threshold < 0 || double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "accepted 0 or more");
        }

        var a = Figures(baseline);
        var b = Figures(candidate);
        var result = new List<MetricComparison>(a.Count);
        for (var i = 0; i < a.Count; i++)
        {
            var (name, x, higher) = a[i];
            var y = b[i].Value;
            double? ratio = x == 0 ? null : y / x;
            bool regression;
            if (x == 0)
            {
                regression = false; // no baseline to judge a ratio against
            }
            else
            {
                regression = higher ? ratio < 1 - threshold : ratio > 1 + threshold;
            }

            result.Add(new MetricComparison(name, x, y, ratio, higher, regression));
        }

        return result;
    }
}
