using System.Globalization;
using System.Text;

namespace CrossMargin.Engine.Reporting.Charts;

/// <summary>Draws a categorical bar chart, one bar per group in each category (grouped bars), as inline SVG.</summary>
/// <remarks>The SVG element carries <c>class="chart grouped-bar-chart"</c>; each bar is a <c>rect</c> with a <c>&lt;title&gt;</c> giving its exact value. Pure; thread-safe.</remarks>
public static class GroupedBarChart
{
    private const double Left = 80, Right = 20, Top = 52, Bottom = 56;

    /// <summary>Renders <paramref name="spec"/> to SVG markup.</summary>
    /// <exception cref="ArgumentException">A group does not have one value per category.</exception>
    public static string Render(GroupedBarChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        foreach (var g in spec.Groups)
        {
            if (g.Values.Count != spec.Categories.Count)
            {
                throw new ArgumentException($"group '{g.Name}' has {g.Values.Count} values for {spec.Categories.Count} categories", nameof(spec));
            }
        }

        var sb = new StringBuilder();
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart grouped-bar-chart\" viewBox=\"0 0 ")
          .Append(spec.Width).Append(' ').Append(spec.Height).Append("\" role=\"img\"><title>")
          .Append(Svg.Escape(spec.Title)).Append("</title>");
        Svg.Text(sb, spec.Width / 2.0, 20, spec.Title, cssClass: "chart-title");
        var plot = new LineChart.Plot(Left, Top, spec.Width - Left - Right, spec.Height - Top - Bottom);
        var max = spec.Groups.SelectMany(g => g.Values).DefaultIfEmpty(0).Max();
        var ticks = ChartAxis.NiceTicks(0, Math.Max(max, 1));
        var top = ticks[^1];
        double Y(double v) => plot.Y + plot.H - (v / top * plot.H);

        sb.Append("<g class=\"y-axis\">");
        foreach (var t in ticks)
        {
            Svg.Line(sb, plot.X, Y(t), plot.X + plot.W, Y(t), "grid");
            Svg.Text(sb, plot.X - 6, Y(t) + 4, t.ToString("#,0.##", CultureInfo.InvariantCulture), anchor: "end");
        }

        Svg.Line(sb, plot.X, plot.Y, plot.X, plot.Y + plot.H, "axis");
        Svg.Text(sb, 16, plot.Y + (plot.H / 2), spec.YLabel, cssClass: "axis-title", rotate: -90);
        sb.Append("</g>");

        var slot = spec.Categories.Count == 0 ? plot.W : plot.W / spec.Categories.Count;
        var barWidth = slot * 0.8 / Math.Max(1, spec.Groups.Count);
        sb.Append("<g class=\"x-axis\">");
        Svg.Line(sb, plot.X, plot.Y + plot.H, plot.X + plot.W, plot.Y + plot.H, "axis");
        for (var c = 0; c < spec.Categories.Count; c++)
        {
            Svg.Text(sb, plot.X + (slot * (c + 0.5)), plot.Y + plot.H + 18, spec.Categories[c]);
        }

        sb.Append("</g><g class=\"series bars\">");
        for (var c = 0; c < spec.Categories.Count; c++)
        {
            for (var g = 0; g < spec.Groups.Count; g++)
            {
                var (name, color, values) = spec.Groups[g];
                var x = plot.X + (slot * c) + (slot * 0.1) + (barWidth * g);
                var title = $"{name}, {spec.Categories[c]}: {values[c].ToString("#,0.##", CultureInfo.InvariantCulture)}";
                Svg.Rect(sb, x, Y(values[c]), barWidth, plot.Y + plot.H - Y(values[c]), color, title);
            }
        }

        sb.Append("</g>");
        LineChart.Legend(sb, spec.Groups.Select(g => (g.Name, g.Color)), plot);
        sb.Append("</svg>");
        return sb.ToString();
    }
}
