using System.Text;

namespace CrossMargin.Engine.Reporting.Charts;

/// <summary>
/// Draws a line chart (or time-axis bar chart) as a self-contained inline SVG element with axes,
/// tick labels, axis captions and a legend. No scripts, no external resources.
/// </summary>
/// <remarks>The SVG element carries <c>class="chart line-chart"</c> (or <c>bar-chart</c>) and a <c>&lt;title&gt;</c>; styles come from the page's CSS classes <c>axis</c>, <c>grid</c>, <c>label</c>. Pure; thread-safe.</remarks>
public static class LineChart
{
    private const double Left = 80, Right = 36, Top = 52, Bottom = 56;

    /// <summary>Renders <paramref name="spec"/> to SVG markup.</summary>
    public static string Render(LineChartSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sb = new StringBuilder();
        var kind = spec.Bars ? "bar-chart" : "line-chart";
        sb.Append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"chart ").Append(kind)
          .Append("\" viewBox=\"0 0 ").Append(spec.Width).Append(' ').Append(spec.Height)
          .Append("\" role=\"img\"><title>").Append(Svg.Escape(spec.Title)).Append("</title>");
        Svg.Text(sb, spec.Width / 2.0, 20, spec.Title, cssClass: "chart-title");

        var points = spec.Series.SelectMany(s => s.Points).Where(p => double.IsFinite(p.X) && double.IsFinite(p.Y)).ToArray();
        var plot = new Plot(Left, Top, spec.Width - Left - Right, spec.Height - Top - Bottom);
        if (points.Length == 0)
        {
            Svg.Rect(sb, plot.X, plot.Y, plot.W, plot.H, "none");
            Svg.Text(sb, plot.X + (plot.W / 2), plot.Y + (plot.H / 2), "no data", cssClass: "label muted");
            sb.Append("</svg>");
            return sb.ToString();
        }

        var xMin = points.Min(p => p.X);
        var xMax = points.Max(p => p.X);
        if (spec.Bars)
        {
            // Half a bar of room at each end so the outer bars do not straddle the axes.
            var half = SmallestGap(points.Select(p => p.X)) / 2;
            xMin -= half;
            xMax += half;
        }

        if (xMax == xMin) xMax = xMin + 1;
        var yMin = spec.Bars ? Math.Min(0, points.Min(p => p.Y)) : points.Min(p => p.Y);
        var yTicks = ChartAxis.NiceTicks(yMin, points.Max(p => p.Y));
        var scale = new Scale(plot, xMin, xMax, yTicks[0], yTicks[^1]);

        DrawYAxis(sb, spec, plot, scale, yTicks);
        DrawXAxis(sb, spec, plot, scale);
        foreach (var series in spec.Series)
        {
            if (spec.Bars) DrawBars(sb, series, plot, scale);
            else DrawLine(sb, series, scale);
        }

        DrawLegend(sb, spec.Series, plot);
        sb.Append("</svg>");
        return sb.ToString();
    }

    private static void DrawYAxis(StringBuilder sb, LineChartSpec spec, Plot plot, Scale scale, IReadOnlyList<double> ticks)
    {
        sb.Append("<g class=\"y-axis\">");
        foreach (var t in ticks)
        {
            var y = scale.Y(t);
            Svg.Line(sb, plot.X, y, plot.X + plot.W, y, "grid");
            Svg.Text(sb, plot.X - 6, y + 4, spec.FormatY(t), anchor: "end");
        }

        Svg.Line(sb, plot.X, plot.Y, plot.X, plot.Y + plot.H, "axis");
        Svg.Text(sb, 16, plot.Y + (plot.H / 2), spec.YLabel, cssClass: "axis-title", rotate: -90);
        sb.Append("</g>");
    }

    private static void DrawXAxis(StringBuilder sb, LineChartSpec spec, Plot plot, Scale scale)
    {
        sb.Append("<g class=\"x-axis\">");
        var ticks = spec.TimeAxis
            ? ChartAxis.TimeTicks(scale.XMin, scale.XMax, 6)
            : ChartAxis.NiceTicks(scale.XMin, scale.XMax, 6).Where(t => t >= scale.XMin && t <= scale.XMax).ToArray();
        var baseY = plot.Y + plot.H;
        foreach (var t in ticks)
        {
            var x = scale.X(t);
            Svg.Line(sb, x, baseY, x, baseY + 5, "axis");
            Svg.Text(sb, x, baseY + 18, spec.FormatX(t));
        }

        Svg.Line(sb, plot.X, baseY, plot.X + plot.W, baseY, "axis");
        Svg.Text(sb, plot.X + (plot.W / 2), baseY + 40, spec.XLabel, cssClass: "axis-title");
        sb.Append("</g>");
    }

    private static void DrawLine(StringBuilder sb, LineSeries series, Scale scale)
    {
        sb.Append("<polyline class=\"series\" fill=\"none\" stroke=\"").Append(Svg.Escape(series.Color)).Append("\" stroke-width=\"1.5\"");
        if (series.Dashed) sb.Append(" stroke-dasharray=\"5 3\"");
        sb.Append(" points=\"");
        var first = true;
        foreach (var (x, y) in series.Points)
        {
            if (!double.IsFinite(x) || !double.IsFinite(y)) continue;
            if (!first) sb.Append(' ');
            sb.Append(Svg.N(scale.X(x))).Append(',').Append(Svg.N(scale.Y(y)));
            first = false;
        }

        sb.Append("\"><title>").Append(Svg.Escape(series.Name)).Append("</title></polyline>");
    }

    private static void DrawBars(StringBuilder sb, LineSeries series, Plot plot, Scale scale)
    {
        var gap = SmallestGap(series.Points.Select(p => p.X));
        var width = Math.Clamp((scale.X(scale.XMin + gap) - scale.X(scale.XMin)) * 0.8, 1, plot.W / 4);
        sb.Append("<g class=\"series bars\">");
        var zero = scale.Y(0);
        foreach (var (x, y) in series.Points)
        {
            var top = scale.Y(y);
            Svg.Rect(sb, scale.X(x) - (width / 2), Math.Min(top, zero), width, Math.Abs(zero - top), series.Color);
        }

        sb.Append("</g>");
    }

    /// <summary>The smallest positive distance between two x values; 1 when there are fewer than two distinct values.</summary>
    private static double SmallestGap(IEnumerable<double> xs)
    {
        var sorted = xs.Distinct().Order().ToArray();
        var gap = double.MaxValue;
        for (var i = 1; i < sorted.Length; i++) gap = Math.Min(gap, sorted[i] - sorted[i - 1]);
        return gap == double.MaxValue ? 1 : gap;
    }

    internal static void DrawLegend(StringBuilder sb, IEnumerable<LineSeries> series, Plot plot) =>
        Legend(sb, series.Select(s => (s.Name, s.Color)), plot);

    internal static void Legend(StringBuilder sb, IEnumerable<(string Name, string Color)> entries, Plot plot)
    {
        // A row between the title and the plot, so the legend never hides data.
        sb.Append("<g class=\"legend\">");
        var x = plot.X;
        foreach (var (name, color) in entries)
        {
            Svg.Rect(sb, x, plot.Y - 22, 12, 12, color);
            Svg.Text(sb, x + 16, plot.Y - 12, name, anchor: "start");
            x += 30 + (7 * name.Length);
        }

        sb.Append("</g>");
    }

    internal readonly record struct Plot(double X, double Y, double W, double H);

    private readonly record struct Scale(Plot Plot, double XMin, double XMax, double YMin, double YMax)
    {
        public double X(double v) => Plot.X + ((v - XMin) / (XMax - XMin) * Plot.W);

        public double Y(double v) => Plot.Y + Plot.H - ((v - YMin) / (YMax == YMin ? 1 : YMax - YMin) * Plot.H);
    }
}
