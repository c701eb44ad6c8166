using System.Text.Json;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Tests.Reporting;

public sealed class ReportJsonTests
{
    [Fact]
    public void Report_should_survive_a_json_round_trip_byte_for_byte()
    {
        var json = ReportJsonWriter.ToJson(SampleReports.Crash());

        var again = ReportJsonWriter.ToJson(ReportJsonReader.Parse(json));

        Assert.Equal(json, again);
    }

    [Fact]
    public void Round_trip_should_keep_money_exact_and_every_figure()
    {
        var original = SampleReports.Crash();

        var read = ReportJsonReader.Parse(ReportJsonWriter.ToJson(original));

        Assert.Equal(0.3m, read.BadDebt);
        Assert.Equal(0.000000000000000001m, read.SocializedLoss);
        Assert.Equal(1_234_567.890123456789m, read.Liquidations.Notional);
        Assert.Equal(ulong.MaxValue, read.Seed);
        Assert.Equal(original.WallTime, read.WallTime);
        Assert.Equal(original.EventsPerSecond, read.EventsPerSecond);
        Assert.Equal(original.InsuranceFund, read.InsuranceFund);
        Assert.Equal(original.Instruments[0].Mark, read.Instruments[0].Mark);
        Assert.Equal(original.MarginRatioAfter, read.MarginRatioAfter);
        Assert.Equal(original.Invariants, read.Invariants);
        Assert.Equal(AccountFate.Bankrupt, read.FateOf("acct-0002"));
        Assert.Equal(AccountFate.Healthy, read.FateOf("acct-9999"));
    }

    [Fact]
    public void Writer_should_write_decimals_as_json_numbers_and_enums_as_words()
    {
        using var doc = JsonDocument.Parse(ReportJsonWriter.ToJson(SampleReports.Crash(MarginMode.Isolated)));
        var root = doc.RootElement;

        Assert.Equal(JsonValueKind.Number, root.GetProperty("badDebt").ValueKind);
        Assert.Equal("0.3", root.GetProperty("badDebt").GetRawText());
        Assert.Equal("1234567.890123456789", root.GetProperty("liquidations").GetProperty("notional").GetRawText());
        Assert.Equal("isolated", root.GetProperty("marginMode").GetString());
        Assert.Equal("margin-called", root.GetProperty("accountFates").GetProperty("acct-0001").GetString());
        Assert.False(root.TryGetProperty("invariantsHeld", out _));
    }

    [Fact]
    public void Writer_should_put_properties_and_account_fates_in_a_stable_order()
    {
        using var doc = JsonDocument.Parse(ReportJsonWriter.ToJson(SampleReports.Crash()));
        var names = doc.RootElement.EnumerateObject().Select(p => p.Name).Take(4).ToArray();
        var fates = doc.RootElement.GetProperty("accountFates").EnumerateObject().Select(p => p.Name).ToArray();

        Assert.Equal(["schemaVersion", "scenario", "marginMode", "seed"], names);
        Assert.Equal(["acct-0001", "acct-0002", "acct-0003"], fates);
    }

    [Fact]
    public void Reader_should_refuse_another_schema_version_naming_the_source()
    {
        var json = ReportJsonWriter.ToJson(SampleReports.Crash()).Replace("\"schemaVersion\": 1", "\"schemaVersion\": 99", StringComparison.Ordinal);

        var error = Assert.Throws<ReportFormatException>(() => ReportJsonReader.Parse(json, "old/report.json"));

        Assert.Contains("old/report.json", error.Message, StringComparison.Ordinal);
        Assert.Contains("schemaVersion is 99", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_name_the_line_and_path_of_a_bad_value()
    {
        var json = ReportJsonWriter.ToJson(SampleReports.Crash()).Replace("\"badDebt\": 0.3", "\"badDebt\": \"lots\"", StringComparison.Ordinal);

        var error = Assert.Throws<ReportFormatException>(() => ReportJsonReader.Parse(json, "r.json"));

        Assert.Contains("$.badDebt", error.Message, StringComparison.Ordinal);
        Assert.Contains("line ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Reader_should_refuse_a_report_missing_a_required_figure()
    {
        var json = """{"schemaVersion": 1, "marginMode": "cross", "seed": 1}""";

        var error = Assert.Throws<ReportFormatException>(() => ReportJsonReader.Parse(json, "r.json"));

        Assert.Contains("scenario", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Comparison_should_survive_a_json_round_trip()
    {
        var comparison = ReportComparison.Create(SampleReports.Crash(), "cross", SampleReports.Crash(MarginMode.Isolated), "isolated");
        var json = ReportJsonWriter.ToJson(comparison);

        var read = ReportJsonReader.ParseComparison(json);

        Assert.Equal(json, ReportJsonWriter.ToJson(read));
        Assert.Equal(comparison.Metrics, read.Metrics);
    }

    [Fact]
    public void Write_should_create_the_folder_and_write_utf8_without_bom()
    {
        var folder = Path.Combine(Path.GetTempPath(), "cm-report-" + Guid.NewGuid().ToString("N"));
        try
        {
            var path = Path.Combine(folder, "nested", "report.json");
            ReportJsonWriter.Write(SampleReports.Crash(), path);

            var bytes = File.ReadAllBytes(path);
            Assert.Equal((byte)'{', bytes[0]);
            Assert.Equal(SampleReports.Crash().Accounts, ReportJsonReader.Read(path).Accounts);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
