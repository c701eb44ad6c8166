namespace CrossMargin.Engine.Reporting.Charts;

/// <summary>One drawn line: a name for the legend, a CSS colour and its points in data coordinates.</summary>
/// <param name="Name">Legend text.</param>
/// <param name="Color">Any CSS colour, e.g. <c>#1f77b4</c>.</param>
/// <param name="Points">(x, y) in data units, in increasing x.</param>
/// <param name="Dashed">Draw the line dashed (e.g. the index under the mark).</param>
public sealed record LineSeries(string Name, string Color, IReadOnlyList<(double X, double Y)> Points, bool Dashed = false);

/// <summary>What a line chart shows and how its axes print.</summary>
/// <param name="Title">Heading above the plot.</param>
/// <param name="XLabel">Caption of the x axis.</param>
/// <param name="YLabel">Caption of the y axis.</param>
/// <param name="Series">The lines; empty draws an empty frame with "no data".</param>
/// <param name="FormatX">Text of an x tick value.</param>
/// <param name="FormatY">Text of a y tick value.</param>
public sealed record LineChartSpec(string Title, string XLabel, string YLabel, IReadOnlyList<LineSeries> Series, Func<double, string> FormatX, Func<double, string> FormatY)
{
    /// <summary>Width of the SVG viewBox in user units.</summary>
    public int Width { get; init; } = 860;

    /// <summary>Height of the SVG viewBox in user units.</summary>
    public int Height { get; init; } = 320;

    /// <summary>When true, x values are seconds (e.g. Unix seconds) and ticks fall on clock-friendly steps (15 s, 1 min, 5 min, …).</summary>
    public bool TimeAxis { get; init; }

    /// <summary>Draw bars from y = 0 at each point instead of a line (a time-axis bar chart); bar width follows the smallest x gap.</summary>
    public bool Bars { get; init; }
}

/// <summary>A categorical bar chart with one or more bars per category (grouped), e.g. before/after histograms.</summary>
/// <param name="Title">Heading above the plot.</param>
/// <param name="YLabel">Caption of the y axis.</param>
/// <param name="Categories">Category labels along the x axis, left to right.</param>
/// <param name="Groups">One entry per bar series: legend name, colour and one value per category.</param>
public sealed record GroupedBarChartSpec(string Title, string YLabel, IReadOnlyList<string> Categories, IReadOnlyList<(string Name, string Color, IReadOnlyList<double> Values)> Groups)
{
    /// <summary>Width of the SVG viewBox in user units.</summary>
    public int Width { get; init; } = 860;

    /// <summary>Height of the SVG viewBox in user units.</summary>
    public int Height { get; init; } = 320;
}
