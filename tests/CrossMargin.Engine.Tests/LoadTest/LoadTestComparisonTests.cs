using CrossMargin.Engine.LoadTest;
using CrossMargin.Engine.Reporting;
using Xunit;

namespace CrossMargin.Engine.Tests.LoadTest;

public sealed class LoadTestComparisonTests
{
    private static LatencySummary L(double p99) => new(100, p99 / 2, p99 * 0.8, p99, p99 * 1.2, p99 * 1.5, p99 / 2);

    internal static LoadTestReport Report(double ticksPerSecond, double p99, long? saturation = null) => new()
    {
        TicksPerSecond = ticksPerSecond,
        EventsPerSecond = ticksPerSecond * 3,
        TickToMarginDecision = L(p99),
        ActiveTickToMarginDecision = L(p99),
        MarginCallToLiquidationFilled = L(p99),
        JournalWrite = L(10),
        JournalLag = L(100),
        Gc = new GcFigures(50, 1, 10, 2, 1, 1_000_000, 100_000, 5_000_000, 100_000_000),
        SaturationRate = saturation,
    };

    [Fact]
    public void A_latency_that_grew_beyond_the_threshold_should_be_a_regression()
    {
        var rows = LoadTestComparison.Compare(Report(10_000, 10), Report(10_000, 12), 0.1);
        var p99 = rows.Single(r => r.Name == "tick p99 ms");
        Assert.Equal(1.2, p99.Ratio!.Value, 9);
        Assert.True(p99.Regression);
        Assert.False(rows.Single(r => r.Name == "ticks/s").Regression);
    }

    [Fact]
    public void A_throughput_that_fell_beyond_the_threshold_should_be_a_regression_and_a_rise_should_not()
    {
        var fell = LoadTestComparison.Compare(Report(10_000, 10), Report(8_500, 10), 0.1).Single(r => r.Name == "ticks/s");
        Assert.True(fell.Regression);
        Assert.Equal(0.85, fell.Ratio!.Value, 9);
        var rose = LoadTestComparison.Compare(Report(10_000, 10), Report(20_000, 10), 0.1).Single(r => r.Name == "ticks/s");
        Assert.False(rose.Regression);
    }

    [Fact]
    public void Changes_within_the_threshold_and_a_zero_baseline_should_not_be_regressions()
    {
        var rows = LoadTestComparison.Compare(Report(10_000, 10), Report(9_500, 10.5), 0.1);
        Assert.DoesNotContain(rows, r => r.Regression);
        var zero = LoadTestComparison.Compare(Report(10_000, 10, saturation: null), Report(10_000, 10, saturation: 5_000), 0.1).Single(r => r.Name == "saturation ticks/s");
        Assert.Null(zero.Ratio);
        Assert.False(zero.Regression);
    }

    [Fact]
    public void A_written_report_should_read_back_and_a_simulation_report_should_be_refused()
    {
        var dir = Directory.CreateTempSubdirectory("loadtest-report-");
        try
        {
            var path = Path.Combine(dir.FullName, "report.json");
            LoadTestComparison.Write(Report(1_234.5, 7.25, 9_000), path);
            var back = LoadTestComparison.Read(path);
            Assert.Equal(1_234.5, back.TicksPerSecond);
            Assert.Equal(7.25, back.TickToMarginDecision.P99);
            Assert.Equal(9_000, back.SaturationRate);
            File.WriteAllText(path, File.ReadAllText(path).Replace("\"kind\": \"loadtest\"", "\"kind\": \"simulation\"", StringComparison.Ordinal));
            var e = Assert.Throws<ReportFormatException>(() => LoadTestComparison.Read(path));
            Assert.Contains("kind 'simulation'", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
