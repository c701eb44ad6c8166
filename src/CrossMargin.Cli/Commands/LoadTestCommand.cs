using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using CrossMargin.Cli.Options;
using CrossMargin.Cli.Output;
using CrossMargin.Engine.LoadTest;
using CrossMargin.Engine.Reporting;
using Spectre.Console;

namespace CrossMargin.Cli.Commands;

/// <summary>
/// <c>crossmargin loadtest</c>: open-loop tick injection at a fixed rate (or stepped up to saturation) with latency
/// histograms, a summary, report.json and report.html; <c>loadtest compare A.json B.json</c> sets two reports side by side.
/// </summary>
internal sealed partial class LoadTestCommand
{
    public Option<int> Accounts { get; } = new("--accounts")
    {
        Description = $"trading accounts, {LoadTestSettings.MinAccounts:#,0}..{LoadTestSettings.MaxAccounts:#,0}",
        HelpName = "N",
        DefaultValueFactory = _ => 10_000,
        CustomParser = r => OptionParsing.IntInRange(r, LoadTestSettings.MinAccounts, LoadTestSettings.MaxAccounts) ?? 0,
    };

    public Option<int> Instruments { get; } = new("--instruments")
    {
        Description = $"instruments ticked round-robin, {LoadTestSettings.MinInstruments}..{LoadTestSettings.MaxInstruments} (beyond the configured ones, copies are added)",
        HelpName = "K",
        DefaultValueFactory = _ => 5,
        CustomParser = r => OptionParsing.IntInRange(r, LoadTestSettings.MinInstruments, LoadTestSettings.MaxInstruments) ?? 0,
    };

    public Option<int> TickRate { get; } = new("--tick-rate")
    {
        Description = $"offered ticks per second (the first step with --step-up), {LoadTestSettings.MinRate}..{LoadTestSettings.MaxRateLimit:#,0}",
        HelpName = "R",
        DefaultValueFactory = _ => 1_000,
        CustomParser = r => OptionParsing.IntInRange(r, LoadTestSettings.MinRate, LoadTestSettings.MaxRateLimit) ?? 0,
    };

    public Option<TimeSpan> Duration { get; } = new("--duration")
    {
        Description = "length of the run: a number with unit ms, s, m or h (seconds without one), 1s..24h",
        HelpName = "D",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(30),
        CustomParser = r => Span(r, "s", LoadTestSettings.MinDuration, LoadTestSettings.MaxDuration, "1s..24h"),
    };

    public Option<bool> StepUp { get; } = new("--step-up")
    {
        Description = "raise the rate by --step-factor every --step-duration until p99 passes --p99-bound or the backlog grows; report the saturation rate",
    };

    public Option<TimeSpan> StepDuration { get; } = new("--step-duration")
    {
        Description = "length of one step of --step-up, 1s..24h",
        HelpName = "D",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(10),
        CustomParser = r => Span(r, "s", LoadTestSettings.MinDuration, LoadTestSettings.MaxDuration, "1s..24h"),
    };

    public Option<double> StepFactor { get; } = new("--step-factor")
    {
        Description = "rate multiplier between steps, 1.1..10",
        HelpName = "F",
        DefaultValueFactory = _ => 1.5,
        CustomParser = r => Number(r, 1.1, 10),
    };

    public Option<int> MaxRate { get; } = new("--max-rate")
    {
        Description = "highest rate --step-up tries, 1..1,000,000",
        HelpName = "R",
        DefaultValueFactory = _ => 200_000,
        CustomParser = r => OptionParsing.IntInRange(r, LoadTestSettings.MinRate, LoadTestSettings.MaxRateLimit) ?? 0,
    };

    public Option<TimeSpan> P99Bound { get; } = new("--p99-bound")
    {
        Description = "a step fails when its p99 tick → margin decision exceeds this (unit ms, s; ms without one), 0.001ms..60s",
        HelpName = "T",
        DefaultValueFactory = _ => TimeSpan.FromMilliseconds(20),
        CustomParser = r => Span(r, "ms", TimeSpan.FromTicks(10), TimeSpan.FromMinutes(1), "0.001ms..60s"),
    };

    public Option<TimeSpan> BacklogBound { get; } = new("--backlog-bound")
    {
        Description = "a step fails when it ends this far behind schedule (growing backlog), 0.001ms..10m",
        HelpName = "T",
        DefaultValueFactory = _ => TimeSpan.FromSeconds(1),
        CustomParser = r => Span(r, "ms", TimeSpan.FromTicks(10), TimeSpan.FromMinutes(10), "0.001ms..10m"),
    };

    public Option<double> Drop { get; } = new("--drop")
    {
        Description = "fall of every price over the run, 0..0.9 (0.3 = -30%): drives margin calls and liquidations",
        HelpName = "X",
        DefaultValueFactory = _ => 0.3,
        CustomParser = r => Number(r, 0, 0.9),
    };

    public Option<CascadeMode> Cascade { get; } = new("--cascade")
    {
        Description = "how cascade rounds run against the ticks: spread (between ticks, at most --round-actions per round, as a live engine) or inline (every round on the tick that set the cascade off, as simulate)",
        HelpName = "spread|inline",
        DefaultValueFactory = _ => CascadeMode.Spread,
        CustomParser = r =>
        {
            var text = r.Tokens.Count == 0 ? "" : r.Tokens[^1].Value;
            switch (text)
            {
                case "spread":
                    return CascadeMode.Spread;
                case "inline":
                    return CascadeMode.Inline;
                default:
                    r.AddError($"--cascade: '{text}' is not a cascade mode; accepted spread, inline");
                    return CascadeMode.Spread;
            }
        },
    };

    public Option<int> RoundActions { get; } = new("--round-actions")
    {
        Description = $"with --cascade spread: fills and waterfalls per round (the rest wait for the next), {LoadTestSettings.MinRoundActions}..{LoadTestSettings.MaxRoundActions:#,0}",
        HelpName = "N",
        DefaultValueFactory = _ => 64,
        CustomParser = r => OptionParsing.IntInRange(r, LoadTestSettings.MinRoundActions, LoadTestSettings.MaxRoundActions) ?? 0,
    };

    public Option<TimeSpan> RoundInterval { get; } = new("--round-interval")
    {
        Description = "with --cascade spread: while behind schedule, a round still runs at least this often (unit ms, s; ms without one), 0.1ms..10s",
        HelpName = "T",
        DefaultValueFactory = _ => TimeSpan.FromMilliseconds(5),
        CustomParser = r => Span(r, "ms", TimeSpan.FromMilliseconds(0.1), TimeSpan.FromSeconds(10), "0.1ms..10s"),
    };

    public Option<ulong?> Seed { get; } = new("--seed")
    {
        Description = "seed of the population and the price noise, 0..18446744073709551615 (default 42)",
        HelpName = "S",
        CustomParser = OptionParsing.Seed,
    };

    public Option<JournalTarget?> Journal { get; } = new("--journal")
    {
        Description = $"where events are journaled: {JournalTarget.AcceptedForms} (default: sqlite:./data/journals/loadtest.db, replaced on each run)",
        HelpName = "sqlite:PATH|postgres:CONN|inmem",
        CustomParser = OptionParsing.Journal,
    };

    public Option<string?> Report { get; } = new("--report")
    {
        Description = "folder for report.json and report.html (default: ./data/reports/loadtest)",
        HelpName = "DIR",
    };

    public Argument<string> Baseline { get; } = new("A.json") { Description = "baseline report.json of a load test" };

    public Argument<string> Candidate { get; } = new("B.json") { Description = "candidate report.json of a load test" };

    public Option<double> Threshold { get; } = new("--threshold")
    {
        Description = "relative change counted as a regression, 0..10 (0.1 = 10% worse)",
        HelpName = "X",
        DefaultValueFactory = _ => 0.1,
        CustomParser = r => Number(r, 0, 10),
    };

    /// <summary>Builds <c>loadtest</c> and its <c>compare</c> subcommand.</summary>
    public Command Build(CommandRunner runner)
    {
        var command = new Command("loadtest", "inject ticks open-loop at a fixed rate (or step up to saturation), measure latencies and throughput, write report.json and report.html")
        {
            Accounts, Instruments, TickRate, Duration, StepUp, StepDuration, StepFactor, MaxRate, P99Bound, BacklogBound, Drop, Cascade, RoundActions, RoundInterval,
            Seed, Journal, Report,
        };
        command.SetAction((parse, ct) => runner.RunAsync(parse, "loadtest", ExecuteAsync, ct));
        var compare = new Command("compare", "print the ratio B/A of every figure of two load-test reports and flag regressions (exit 1 if any)")
        {
            Baseline, Candidate, Threshold,
        };
        compare.SetAction((parse, ct) => runner.RunAsync(parse, "loadtest compare", CompareAsync, ct));
        command.Add(compare);
        return command;
    }

    private async Task<int> ExecuteAsync(Invocation inv)
    {
        var p = inv.Parse;
        var defaultJournal = p.GetValue(Journal) is null;
        var journal = p.GetValue(Journal) ?? new JournalTarget(JournalKind.Sqlite, $"{RunNames.DataFolder}/journals/loadtest.db");
        var settings = new LoadTestSettings
        {
            Accounts = p.GetValue(Accounts),
            Instruments = p.GetValue(Instruments),
            TickRate = p.GetValue(TickRate),
            Duration = p.GetValue(Duration),
            StepUp = p.GetValue(StepUp),
            StepDuration = p.GetValue(StepDuration),
            StepFactor = p.GetValue(StepFactor),
            MaxRate = p.GetValue(MaxRate),
            P99Bound = p.GetValue(P99Bound),
            BacklogBound = p.GetValue(BacklogBound),
            Drop = (decimal)p.GetValue(Drop),
            Seed = p.GetValue(Seed) ?? 42,
            Journal = journal,
            Cascade = p.GetValue(Cascade),
            RoundActions = p.GetValue(RoundActions),
            RoundInterval = p.GetValue(RoundInterval),
        };
        if (settings.Errors() is { Count: > 0 } errors)
        {
            throw new CliInputException(string.Join("; ", errors));
        }

        if (defaultJournal)
        {
            // The default journal is the load test's own scratch file: replace it rather than refuse a second run. Only
            // once the input is known to be valid (a refused command touches nothing), and only if its folder exists.
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                if (File.Exists(journal.Location + suffix))
                {
                    File.Delete(journal.Location + suffix);
                }
            }
        }

        var runner = inv.Require(inv.Services.LoadTest, "loadtest");
        inv.Console.Line($"loadtest: {settings.Accounts:#,0} accounts, {settings.Instruments} instruments, " +
            (settings.StepUp ? $"step-up from {settings.TickRate:#,0} ticks/s" : $"{settings.TickRate:#,0} ticks/s for {settings.Duration.TotalSeconds:0.###} s") +
            $", cascade {(settings.Cascade == CascadeMode.Inline ? "inline" : "spread")}, journal {journal}");
        var report = await ProgressDisplay.RunAsync<LoadTestProgress, LoadTestReport>(inv.Console, "loadtest", inv.Time, Rows,
            progress => runner.RunAsync(settings, progress, inv.CancellationToken)).ConfigureAwait(false);
        var table = new Table().AddColumn("figure").AddColumn("value");
        foreach (var (figure, value) in LoadTestHtml.SummaryRows(report))
        {
            table.AddRow(Markup.Escape(figure), Markup.Escape(value));
        }

        inv.Console.Out.Write(table);
        var folder = p.GetValue(Report) ?? $"{RunNames.DataFolder}/reports/loadtest";
        try
        {
            Directory.CreateDirectory(folder);
            LoadTestComparison.Write(report, Path.Combine(folder, "report.json"));
            File.WriteAllText(Path.Combine(folder, "report.html"), LoadTestHtml.Render(report));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliInputException($"--report: cannot write the report into {Path.GetFullPath(folder)}: {e.Message}", e);
        }

        ReportFiles.Announce(inv.Console, "report", Path.GetFullPath(Path.Combine(folder, "report.html")));
        return report.Partial ? ExitCodes.Interrupted : ExitCodes.Success;
    }

    private Task<int> CompareAsync(Invocation inv)
    {
        var p = inv.Parse;
        var a = LoadTestComparison.Read(p.GetValue(Baseline)!);
        var b = LoadTestComparison.Read(p.GetValue(Candidate)!);
        var threshold = p.GetValue(Threshold);
        var rows = LoadTestComparison.Compare(a, b, threshold);
        var table = new Table().AddColumn("figure").AddColumn("A").AddColumn("B").AddColumn("B/A").AddColumn("");
        foreach (var m in rows)
        {
            table.AddRow(Markup.Escape(m.Name), F(m.Baseline), F(m.Candidate), m.Ratio is { } r ? r.ToString("0.000", CultureInfo.InvariantCulture) : "-",
                m.Regression ? "[red]REGRESSION[/]" : "");
        }

        inv.Console.Out.Write(table);
        var regressions = rows.Count(m => m.Regression);
        inv.Console.Line(regressions == 0
            ? $"no regression beyond {threshold:P0}"
            : $"{regressions} regression(s) beyond {threshold:P0}: {string.Join(", ", rows.Where(m => m.Regression).Select(m => m.Name))}");
        return Task.FromResult(regressions == 0 ? ExitCodes.Success : ExitCodes.InvariantViolation);
    }

    private static IReadOnlyList<(string Figure, string Value)> Rows(LoadTestProgress p) =>
    [
        ("offered rate", $"{p.Step:#,0} ticks/s"),
        ("elapsed", $"{p.ElapsedSeconds:0.0} s"),
        ("ticks", p.Processed.ToString("#,0", CultureInfo.InvariantCulture)),
        ("backlog", p.Backlog.ToString("#,0", CultureInfo.InvariantCulture)),
        ("last latency", $"{p.LastLatencyMs:0.###} ms"),
        ("events", p.Events.ToString("#,0", CultureInfo.InvariantCulture)),
        ("liquidations", p.Liquidations.ToString("#,0", CultureInfo.InvariantCulture)),
    ];

    private static string F(double v) => v.ToString(Math.Abs(v) >= 100 ? "#,0.#" : "0.####", CultureInfo.InvariantCulture);

    /// <summary>A duration: number with unit ms, s, m or h, or <paramref name="defaultUnit"/> without one; within [min, max].</summary>
    internal static TimeSpan Span(ArgumentResult result, string defaultUnit, TimeSpan min, TimeSpan max, string accepted)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        var name = result.Parent is OptionResult o ? o.Option.Name : result.Argument.Name;
        var m = DurationPattern().Match(text.Trim());
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n))
        {
            result.AddError($"{name}: '{text}' is not a duration such as 30s, 500ms, 2m or 1h; accepted {accepted}");
            return TimeSpan.Zero;
        }

        var unit = m.Groups[2].Success && m.Groups[2].Value.Length > 0 ? m.Groups[2].Value : defaultUnit;
        var ms = unit switch { "ms" => n, "s" => n * 1e3, "m" => n * 60e3, _ => n * 3600e3 };
        if (!(ms * 1e4 >= min.Ticks && ms * 1e4 <= max.Ticks))
        {
            result.AddError($"{name}: {text} is out of range; accepted {accepted}");
            return TimeSpan.Zero;
        }

        return TimeSpan.FromTicks((long)Math.Round(ms * 1e4));
    }

    /// <summary>A decimal number within [min, max].</summary>
    internal static double Number(ArgumentResult result, double min, double max)
    {
        var text = result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;
        var name = result.Parent is OptionResult o ? o.Option.Name : result.Argument.Name;
        var range = $"accepted {min.ToString(CultureInfo.InvariantCulture)}..{max.ToString(CultureInfo.InvariantCulture)}";
        if (!double.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var v))
        {
            result.AddError($"{name}: '{text}' is not a number; {range}");
            return 0;
        }

        if (!(v >= min && v <= max))
        {
            result.AddError($"{name}: {text} is out of range; {range}");
            return 0;
        }

        return v;
    }

    [GeneratedRegex(@"^(-?[0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h)?$")]
    private static partial Regex DurationPattern();
}
