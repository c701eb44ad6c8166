using System.Text;

namespace CrossMargin.Engine.Reporting.Charts;

/// <summary>
/// Builds a single self-contained XHTML page (inline CSS, inline SVG, no scripts, no external links)
/// that opens offline in any browser and parses as XML. Shared by the simulation, comparison and
/// load-test reports.
/// </summary>
/// <remarks>Not thread-safe: one builder per page. Call <see cref="ToString"/> once at the end.</remarks>
public sealed class HtmlPage
{
    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:960px;color:#1b1b1b;background:#fff}
        h1{font-size:1.6em;margin-bottom:4px}h2{font-size:1.2em;margin-top:32px;border-bottom:1px solid #ddd;padding-bottom:4px}
        p.meta{color:#555;margin-top:0}
        table{border-collapse:collapse;margin:8px 0}th,td{padding:4px 10px;border-bottom:1px solid #eee;text-align:left;vertical-align:top}
        td.num{text-align:right;font-variant-numeric:tabular-nums}th{background:#f6f6f6}
        .pass{color:#1a7f37;font-weight:600}.fail{color:#c62828;font-weight:600}.partial{background:#fff3cd;padding:8px;border:1px solid #e0c36c}
        svg.chart{width:100%;height:auto;margin:8px 0}
        svg .axis{stroke:#333;stroke-width:1}svg .grid{stroke:#e5e5e5;stroke-width:1}
        svg text{font-size:11px;fill:#333}svg text.chart-title{font-size:14px;font-weight:600}svg text.axis-title{font-size:12px}svg text.muted{fill:#999}
        code{background:#f3f3f3;padding:1px 4px}
        """;

    private readonly StringBuilder _body = new();
    private readonly string _title;

    /// <summary>Starts a page with the given document title (also the first heading).</summary>
    public HtmlPage(string title)
    {
        _title = title;
        Heading(1, title);
    }

    /// <summary>Adds a heading of level 1–3.</summary>
    public HtmlPage Heading(int level, string text)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(level, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(level, 3);
        _body.Append("<h").Append(level).Append('>').Append(Svg.Escape(text)).Append("</h").Append(level).Append(">\n");
        return this;
    }

    /// <summary>Adds a paragraph of plain text, optionally with a CSS class.</summary>
    public HtmlPage Paragraph(string text, string? cssClass = null)
    {
        _body.Append("<p").Append(cssClass is null ? "" : $" class=\"{Svg.Escape(cssClass)}\"").Append('>')
             .Append(Svg.Escape(text)).Append("</p>\n");
        return this;
    }

    /// <summary>Adds a table; cells whose text starts with a digit, sign or currency-like figure are right-aligned.</summary>
    /// <param name="headers">Column headings.</param>
    /// <param name="rows">Cell texts; each row as long as <paramref name="headers"/>.</param>
    /// <param name="cssClass">Optional class of the table element.</param>
    /// <param name="cellClass">Optional per-cell class chooser (row index, column index) → class or null.</param>
    public HtmlPage Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows, string? cssClass = null, Func<int, int, string?>? cellClass = null)
    {
        _body.Append("<table").Append(cssClass is null ? "" : $" class=\"{Svg.Escape(cssClass)}\"").Append("><thead><tr>");
        foreach (var h in headers) _body.Append("<th>").Append(Svg.Escape(h)).Append("</th>");
        _body.Append("</tr></thead><tbody>\n");
        var r = 0;
        foreach (var row in rows)
        {
            if (row.Count != headers.Count) throw new ArgumentException($"row {r} has {row.Count} cells for {headers.Count} headers", nameof(rows));
            _body.Append("<tr>");
            for (var c = 0; c < row.Count; c++)
            {
                var cls = cellClass?.Invoke(r, c) ?? (LooksNumeric(row[c]) ? "num" : null);
                _body.Append(cls is null ? "<td>" : $"<td class=\"{Svg.Escape(cls)}\">").Append(Svg.Escape(row[c])).Append("</td>");
            }

            _body.Append("</tr>\n");
            r++;
        }

        _body.Append("</tbody></table>\n");
        return this;
    }

    /// <summary>Adds SVG markup produced by <see cref="LineChart"/> or <see cref="GroupedBarChart"/> (trusted: not escaped).</summary>
    public HtmlPage Chart(string svgMarkup)
    {
        _body.Append(svgMarkup).Append('\n');
        return this;
    }

    /// <summary>The complete document: XHTML namespace, UTF-8, inline styles, no external resources.</summary>
    public override string ToString() =>
        "<!DOCTYPE html>\n<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"en\">\n<head>\n<meta charset=\"utf-8\"/>\n" +
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"/>\n<title>" + Svg.Escape(_title) +
        "</title>\n<style>\n" + Style + "\n</style>\n</head>\n<body>\n" + _body + "</body>\n</html>\n";

    private static bool LooksNumeric(string text) =>
        text.Length > 0 && (char.IsDigit(text[0]) || (text.Length > 1 && text[0] is '-' or '+' && char.IsDigit(text[1])));
}
