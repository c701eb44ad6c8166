using System.Globalization;
using CrossMargin.Engine.Reporting;
using Spectre.Console;

namespace CrossMargin.Cli.Output;

/// <summary>
/// Shows a run's progress while it executes: a Spectre live table redrawn four times a second on a
/// terminal, or a plain line every few seconds when output is redirected (logs and CI stay readable).
/// </summary>
internal static class ProgressDisplay
{
    private static readonly TimeSpan PlainInterval = TimeSpan.FromSeconds(2);

    /// <summary>Runs a simulation-shaped task while displaying its <see cref="SimulationProgress"/>.</summary>
    public static Task<T> RunAsync<T>(CliConsole console, string title, TimeProvider time, Func<IProgress<SimulationProgress>, Task<T>> run) =>
        RunAsync(console, title, time, SimulationRows, run);

    /// <summary>Runs <paramref name="run"/> while displaying the progress it reports as (figure, value) rows; returns its result.</summary>
    public static async Task<T> RunAsync<TProgress, T>(CliConsole console, string title, TimeProvider time, Func<TProgress, IReadOnlyList<(string Figure, string Value)>> rows, Func<IProgress<TProgress>, Task<T>> run)
        where TProgress : struct
    {
        if (!console.Interactive)
        {
            return await RunPlainAsync(console, title, time, rows, run).ConfigureAwait(false);
        }

        var sink = new LatestProgress<TProgress>();
        var task = run(sink);
        await console.Out.Live(Render(title, sink.Latest, rows)).AutoClear(false).StartAsync(async ctx =>
        {
            while (!task.IsCompleted)
            {
                ctx.UpdateTarget(Render(title, sink.Latest, rows));
                // Pacing of the redraw only: the run's completion ends the wait early.
                await Task.WhenAny(task, Task.Delay(250, CancellationToken.None)).ConfigureAwait(false);
            }

            ctx.UpdateTarget(Render(title, sink.Latest, rows));
        }).ConfigureAwait(false);
        return await task.ConfigureAwait(false);
    }

    /// <summary>One line of figures, as the plain display prints it.</summary>
    public static string Describe<TProgress>(TProgress p, Func<TProgress, IReadOnlyList<(string Figure, string Value)>> rows) =>
        string.Join(", ", rows(p).Select(r => $"{r.Figure} {r.Value}"));

    /// <summary>The rows shown for a simulation.</summary>
    public static IReadOnlyList<(string Figure, string Value)> SimulationRows(SimulationProgress p) =>
    [
        ("simulated time", p.SimulatedTime.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture)),
        ("ticks", p.TotalTicks is { } total && total > 0
            ? $"{ReportFormat.Count(p.Ticks)}/{ReportFormat.Count(total)} ({(p.Ticks * 100 / total).ToString(CultureInfo.InvariantCulture)}%)"
            : ReportFormat.Count(p.Ticks)),
        ("events", ReportFormat.Count(p.Events)),
        ("margin calls", ReportFormat.Count(p.MarginCalls)),
        ("liquidations", $"{ReportFormat.Count(p.Liquidations)} ({ReportFormat.Money(p.LiquidationNotional)})"),
        ("insurance fund", ReportFormat.Money(p.InsuranceFund)),
        ("cascade round", p.CascadeRound == 0 ? "-" : p.CascadeRound.ToString(CultureInfo.InvariantCulture)),
    ];

    /// <summary>The rows shown for a replay.</summary>
    public static IReadOnlyList<(string Figure, string Value)> ReplayRows(ReplayProgress p) =>
    [
        ("events replayed", p.TotalEvents is { } total && total > 0
            ? $"{ReportFormat.Count(p.EventsReplayed)}/{ReportFormat.Count(total)}"
            : ReportFormat.Count(p.EventsReplayed)),
    ];

    private static async Task<T> RunPlainAsync<TProgress, T>(CliConsole console, string title, TimeProvider time, Func<TProgress, IReadOnlyList<(string Figure, string Value)>> rows, Func<IProgress<TProgress>, Task<T>> run)
        where TProgress : struct
    {
        console.Line($"{title}: started");
        var last = time.GetTimestamp();
        var sink = new LatestProgress<TProgress>(p =>
        {
            if (time.GetElapsedTime(last) < PlainInterval) return;
            last = time.GetTimestamp();
            console.Line($"{title}: {Describe(p, rows)}");
        });
        var result = await run(sink).ConfigureAwait(false);
        if (sink.Latest is { } final) console.Line($"{title}: {Describe(final, rows)}");
        return result;
    }

    private static Table Render<TProgress>(string title, TProgress? progress, Func<TProgress, IReadOnlyList<(string Figure, string Value)>> rows)
        where TProgress : struct
    {
        var table = new Table().Border(TableBorder.Rounded).Title(Markup.Escape(title))
            .AddColumn("figure").AddColumn(new TableColumn("now").RightAligned());
        if (progress is not { } p)
        {
            table.AddRow("status", "starting…");
            return table;
        }

        foreach (var (figure, value) in rows(p))
        {
            table.AddRow(Markup.Escape(figure), Markup.Escape(value));
        }

        return table;
    }
}
