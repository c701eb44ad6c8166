using System.Globalization;
using System.Text;

namespace CrossMargin.Engine.Reporting.Charts;

/// <summary>Small helpers for writing SVG and XHTML text: escaping and invariant number formatting.</summary>
/// <remarks>Everything the report writers emit goes through <see cref="Escape"/>, so output parses as XML. Pure; thread-safe.</remarks>
public static class Svg
{
    /// <summary>Escapes text for XML element content and double-quoted attributes.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var sb = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default:
                    // Control characters are not allowed in XML 1.0; drop them rather than emit an unparsable file.
                    if (c >= ' ' || c is '\n' or '\r' or '\t') sb.Append(c);
                    break;
            }
        }

        return sb.ToString();
    }

    /// <summary>A drawing coordinate with at most two decimals, invariant culture.</summary>
    public static string N(double value) =>
        double.IsFinite(value) ? Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture) : "0";

    internal static void Text(StringBuilder sb, double x, double y, string text, string anchor = "middle", string cssClass = "label", double rotate = 0)
    {
        sb.Append("<text x=\"").Append(N(x)).Append("\" y=\"").Append(N(y))
          .Append("\" text-anchor=\"").Append(anchor).Append("\" class=\"").Append(cssClass).Append('"');
        if (rotate != 0)
        {
            sb.Append(" transform=\"rotate(").Append(N(rotate)).Append(' ').Append(N(x)).Append(' ').Append(N(y)).Append(")\"");
        }

        sb.Append('>').Append(Escape(text)).Append("</text>");
    }

    internal static void Line(StringBuilder sb, double x1, double y1, double x2, double y2, string cssClass) =>
        sb.Append("<line x1=\"").Append(N(x1)).Append("\" y1=\"").Append(N(y1)).Append("\" x2=\"").Append(N(x2))
          .Append("\" y2=\"").Append(N(y2)).Append("\" class=\"").Append(cssClass).Append("\"/>");

    internal static void Rect(StringBuilder sb, double x, double y, double w, double h, string fill, string? title = null)
    {
        sb.Append("<rect x=\"").Append(N(x)).Append("\" y=\"").Append(N(y)).Append("\" width=\"").Append(N(Math.Max(w, 0)))
          .Append("\" height=\"").Append(N(Math.Max(h, 0))).Append("\" fill=\"").Append(Escape(fill)).Append('"');
        if (title is null)
        {
            sb.Append("/>");
        }
        else
        {
            sb.Append("><title>").Append(Escape(title)).Append("</title></rect>");
        }
    }
}
