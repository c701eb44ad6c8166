using CrossMargin.Cli.Output;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Tests;

public sealed class ProgressDisplayTests
{
    /// <summary>A clock the test moves by hand.</summary>
    private sealed class ManualTime : TimeProvider
    {
        public long Ticks { get; set; }

        public override long TimestampFrequency => TimeSpan.TicksPerSecond;

        public override long GetTimestamp() => Ticks;

        public void Advance(TimeSpan by) => Ticks += by.Ticks;
    }

    private static SimulationProgress At(long ticks) =>
        new(new DateTimeOffset(2025, 10, 10, 21, 0, 0, TimeSpan.Zero).AddSeconds(ticks), ticks, 100, ticks * 10, 0, 0, 0m, 1_000m, 0);

    [Fact]
    public async Task Plain_display_should_print_a_line_only_when_two_seconds_have_passed_and_the_final_figures()
    {
        var output = new StringWriter();
        var console = CliConsole.Plain(output, new StringWriter());
        var time = new ManualTime();

        var result = await ProgressDisplay.RunAsync(console, "run", time, progress =>
        {
            progress.Report(At(1));
            time.Advance(TimeSpan.FromSeconds(1));
            progress.Report(At(2));
            time.Advance(TimeSpan.FromSeconds(1.5));
            progress.Report(At(3));
            progress.Report(At(4));
            return Task.FromResult(42);
        });

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(42, result);
        Assert.Equal(3, lines.Length);
        Assert.Equal("run: started", lines[0].TrimEnd());
        Assert.Contains("ticks 3/100 (3%)", lines[1], StringComparison.Ordinal);
        Assert.Contains("ticks 4/100 (4%)", lines[2], StringComparison.Ordinal);
    }
}
