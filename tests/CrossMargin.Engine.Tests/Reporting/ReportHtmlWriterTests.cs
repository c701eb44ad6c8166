using System.Xml;
using System.Xml.Linq;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Tests.Reporting;

public sealed class ReportHtmlWriterTests
{
    private static readonly XNamespace Xhtml = "http://www.w3.org/1999/xhtml";
    private static readonly XNamespace SvgNs = "http://www.w3.org/2000/svg";

    private static XDocument ParseXhtml(string html)
    {
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Ignore };
        using var reader = XmlReader.Create(new StringReader(html), settings);
        return XDocument.Load(reader);
    }

    private static string[] ChartClasses(XDocument doc) =>
        doc.Descendants(SvgNs + "svg").Select(s => (string?)s.Attribute("class") ?? "").ToArray();

    [Fact]
    public void Report_page_should_parse_as_xml()
    {
        var doc = ParseXhtml(ReportHtmlWriter.ToHtml(SampleReports.Crash()));

        Assert.Equal(Xhtml + "html", doc.Root!.Name);
        Assert.NotNull(doc.Root.Element(Xhtml + "body"));
    }

    [Fact]
    public void Report_page_should_chart_index_and_mark_per_instrument_liquidations_fund_and_margin_ratios()
    {
        var doc = ParseXhtml(ReportHtmlWriter.ToHtml(SampleReports.Crash()));
        var classes = ChartClasses(doc);
        var titles = doc.Descendants(SvgNs + "svg").Select(s => (string)s.Element(SvgNs + "title")!).ToArray();

        Assert.Equal(3, classes.Count(c => c.Contains("line-chart", StringComparison.Ordinal)));
        Assert.Single(classes, c => c.Contains("bar-chart", StringComparison.Ordinal) && !c.Contains("grouped", StringComparison.Ordinal));
        Assert.Single(classes, c => c.Contains("grouped-bar-chart", StringComparison.Ordinal));
        Assert.Contains("BTC-PERP: index and mark", titles);
        Assert.Contains("ETH-PERP: index and mark", titles);
        Assert.Contains("Insurance fund balance", titles);
        var btc = doc.Descendants(SvgNs + "svg").First(s => (string)s.Element(SvgNs + "title")! == "BTC-PERP: index and mark");
        Assert.Equal(["index", "mark"], btc.Descendants(SvgNs + "polyline").Select(p => (string)p.Element(SvgNs + "title")!));
        Assert.Equal(600, ((string)btc.Descendants(SvgNs + "polyline").First().Attribute("points")!).Split(' ').Length);
    }

    [Fact]
    public void Report_page_should_draw_axes_with_tick_labels()
    {
        var doc = ParseXhtml(ReportHtmlWriter.ToHtml(SampleReports.Crash()));
        var fund = doc.Descendants(SvgNs + "svg").First(s => (string)s.Element(SvgNs + "title")! == "Insurance fund balance");

        var yLabels = fund.Descendants(SvgNs + "g").First(g => (string?)g.Attribute("class") == "y-axis").Elements(SvgNs + "text").Select(t => t.Value).ToArray();
        var xLabels = fund.Descendants(SvgNs + "g").First(g => (string?)g.Attribute("class") == "x-axis").Elements(SvgNs + "text").Select(t => t.Value).ToArray();

        Assert.Contains("balance", yLabels);
        Assert.Contains("1,000,000", yLabels);
        Assert.Contains("21:00:00", xLabels);
        Assert.Contains("21:10:00", xLabels);
        Assert.Contains("simulated time (UTC)", xLabels);
    }

    [Fact]
    public void Report_page_should_hold_the_summary_and_invariants()
    {
        var html = ReportHtmlWriter.ToHtml(SampleReports.Crash());
        var cells = ParseXhtml(html).Descendants(Xhtml + "td").Select(td => td.Value).ToArray();

        Assert.Contains("bad debt", cells);
        Assert.Contains("0.30", cells);
        Assert.Contains("money-conservation", cells);
        Assert.Contains("held", cells);
        Assert.Contains("18446744073709551615", cells);
    }

    [Fact]
    public void Report_page_should_open_offline_with_no_script_and_no_external_resource()
    {
        var doc = ParseXhtml(ReportHtmlWriter.ToHtml(SampleReports.Crash()));

        Assert.DoesNotContain(doc.Descendants(), e => e.Name.LocalName is "script" or "link" or "iframe" or "img");
        var urls = doc.Descendants().Attributes().Where(a => a.Name.LocalName is "src" or "href").ToArray();
        Assert.Empty(urls);
    }

    [Fact]
    public void Report_page_should_escape_names_from_the_scenario()
    {
        var report = SampleReports.Crash(scenario: "<b>crash & burn</b>") with
        {
            Invariants = [new InvariantResult("money-conservation", false, "in 1 < out 2 & \"quoted\"")],
        };

        var doc = ParseXhtml(ReportHtmlWriter.ToHtml(report));

        Assert.Contains("<b>crash & burn</b>", doc.Descendants(Xhtml + "h1").Single().Value, StringComparison.Ordinal);
        Assert.Contains("VIOLATED", doc.Descendants(Xhtml + "td").Select(td => td.Value));
    }

    [Fact]
    public void Report_page_should_mark_a_partial_run_and_draw_empty_charts_when_series_are_missing()
    {
        var report = SampleReports.Crash() with { Partial = true, Instruments = [], LiquidationsPerSecond = [], InsuranceFundSeries = [] };

        var doc = ParseXhtml(ReportHtmlWriter.ToHtml(report));

        Assert.Contains(doc.Descendants(Xhtml + "p"), p => (string?)p.Attribute("class") == "partial");
        Assert.Contains(doc.Descendants(SvgNs + "text"), t => t.Value == "no data");
    }

    [Fact]
    public void Comparison_page_should_parse_and_list_the_accounts_whose_fate_differs()
    {
        var cross = SampleReports.Crash();
        var isolated = SampleReports.Crash(MarginMode.Isolated) with
        {
            AccountFates = new Dictionary<string, AccountFate> { ["acct-0003"] = AccountFate.Liquidated, ["acct-0004"] = AccountFate.Bankrupt },
        };

        var comparison = ReportComparison.Create(cross, "cross", isolated, "isolated");
        var doc = ParseXhtml(ReportHtmlWriter.ToHtml(comparison));

        var table = doc.Descendants(Xhtml + "table").Single(t => (string?)t.Attribute("class") == "fate-changes");
        var rows = table.Descendants(Xhtml + "tr").Skip(1).Select(tr => string.Join('|', tr.Elements(Xhtml + "td").Select(td => td.Value))).ToArray();
        Assert.Equal(["acct-0001|margin-called|healthy", "acct-0002|bankrupt|healthy", "acct-0004|healthy|bankrupt"], rows);
        Assert.Contains(ChartClasses(doc), c => c.Contains("grouped-bar-chart", StringComparison.Ordinal));
        Assert.Contains(doc.Descendants(Xhtml + "h2"), h => h.Value == "Accounts whose fate differs: 3");
    }
}
