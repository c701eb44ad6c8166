using System.Globalization;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace CrossMargin.Actors.Benchmarks.Bdn;

/// <summary>Throughput column: messages per second = 1 / mean time per operation (every benchmark here counts one message per operation).</summary>
public sealed class MessagesPerSecondColumn : IColumn
{
    public string Id => nameof(MessagesPerSecondColumn);

    public string ColumnName => "Msg/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Messages per second (1 s / Mean; one operation = one message)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
        return mean is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{1e9 / mean.Value / 1e6:0.00} M") : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}

/// <summary>Throughput relative to the raw-channel baseline of the same parameters: raw mean / this mean (the inverse of BenchmarkDotNet's time Ratio).</summary>
public sealed class ThroughputRatioColumn : IColumn
{
    public string Id => nameof(ThroughputRatioColumn);

    public string ColumnName => "Msg/s vs raw";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 1;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Messages per second divided by the raw-channel baseline's (kernel/raw; above 1 = kernel faster)";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase)
    {
        var key = summary.GetLogicalGroupKey(benchmarkCase);
        var baseline = key == null ? null : summary.GetBaseline(key);
        var mine = summary[benchmarkCase]?.ResultStatistics?.Mean;
        var theirs = baseline == null ? null : summary[baseline]?.ResultStatistics?.Mean;
        return mine is > 0 && theirs is > 0 ? string.Create(CultureInfo.InvariantCulture, $"{theirs.Value / mine.Value:0.00}") : "-";
    }

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style) => GetValue(summary, benchmarkCase);

    public bool IsAvailable(Summary summary) => true;

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
}
