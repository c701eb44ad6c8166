using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Tests.Reporting;

public sealed class ReportComparisonTests
{
    [Fact]
    public void Fate_diff_should_treat_absent_accounts_as_healthy_and_order_by_id()
    {
        var a = SampleReports.Crash() with { AccountFates = new Dictionary<string, AccountFate> { ["b"] = AccountFate.Liquidated, ["a"] = AccountFate.Bankrupt } };
        var b = SampleReports.Crash() with { AccountFates = new Dictionary<string, AccountFate> { ["b"] = AccountFate.Liquidated, ["c"] = AccountFate.MarginCalled } };

        var changes = ReportComparison.DiffFates(a, b);

        Assert.Equal([new FateChange("a", AccountFate.Bankrupt, AccountFate.Healthy), new FateChange("c", AccountFate.Healthy, AccountFate.MarginCalled)], changes);
    }

    [Fact]
    public void Metrics_should_give_both_values_and_the_exact_delta()
    {
        var a = SampleReports.Crash() with { BadDebt = 10.25m };
        var b = SampleReports.Crash() with { BadDebt = 0.5m };

        var badDebt = ReportComparison.Create(a, "cross", b, "isolated").Metrics.Single(m => m.Name == "bad debt");

        Assert.Equal(-9.75m, badDebt.Delta);
        Assert.Equal("10.25", badDebt.BaselineText);
        Assert.Equal("0.50", badDebt.CandidateText);
    }
}
