namespace CrossMargin.Cli.Tests.LoadTest;

/// <summary>
/// Issue 6, "Bad input": rates, counts and durations that are zero, negative or absurd are refused before anything runs,
/// with exit code 2 and a message naming the option, the value and the accepted range.
/// </summary>
public sealed class LoadTestBadInputTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Theory]
    [InlineData(new[] { "--tick-rate", "0" }, "--tick-rate: 0 is out of range; accepted 1..1,000,000")]
    [InlineData(new[] { "--tick-rate", "-5" }, "--tick-rate: -5 is out of range; accepted 1..1,000,000")]
    [InlineData(new[] { "--tick-rate", "1000001" }, "--tick-rate: 1000001 is out of range; accepted 1..1,000,000")]
    [InlineData(new[] { "--tick-rate", "99999999999999999999" }, "--tick-rate: '99999999999999999999' is not a whole number; accepted 1..1,000,000")]
    [InlineData(new[] { "--tick-rate", "fast" }, "--tick-rate: 'fast' is not a whole number; accepted 1..1,000,000")]
    [InlineData(new[] { "--accounts", "0" }, "--accounts: 0 is out of range; accepted 1..10,000,000")]
    [InlineData(new[] { "--accounts", "-1" }, "--accounts: -1 is out of range; accepted 1..10,000,000")]
    [InlineData(new[] { "--accounts", "1_000_000_000" }, "--accounts: 1000000000 is out of range; accepted 1..10,000,000")]
    [InlineData(new[] { "--instruments", "0" }, "--instruments: 0 is out of range; accepted 1..50")]
    [InlineData(new[] { "--instruments", "51" }, "--instruments: 51 is out of range; accepted 1..50")]
    [InlineData(new[] { "--duration", "0s" }, "--duration: 0s is out of range; accepted 1s..24h")]
    [InlineData(new[] { "--duration", "-5s" }, "--duration: -5s is out of range; accepted 1s..24h")]
    [InlineData(new[] { "--duration", "500ms" }, "--duration: 500ms is out of range; accepted 1s..24h")]
    [InlineData(new[] { "--duration", "25h" }, "--duration: 25h is out of range; accepted 1s..24h")]
    [InlineData(new[] { "--duration", "soon" }, "--duration: 'soon' is not a duration such as 30s, 500ms, 2m or 1h; accepted 1s..24h")]
    [InlineData(new[] { "--step-duration", "0" }, "--step-duration: 0 is out of range; accepted 1s..24h")]
    [InlineData(new[] { "--step-factor", "1" }, "--step-factor: 1 is out of range; accepted 1.1..10")]
    [InlineData(new[] { "--step-factor", "-2" }, "--step-factor: -2 is out of range; accepted 1.1..10")]
    [InlineData(new[] { "--step-factor", "100" }, "--step-factor: 100 is out of range; accepted 1.1..10")]
    [InlineData(new[] { "--max-rate", "0" }, "--max-rate: 0 is out of range; accepted 1..1,000,000")]
    [InlineData(new[] { "--p99-bound", "0" }, "--p99-bound: 0 is out of range; accepted 0.001ms..60s")]
    [InlineData(new[] { "--p99-bound", "2m" }, "--p99-bound: 2m is out of range; accepted 0.001ms..60s")]
    [InlineData(new[] { "--backlog-bound", "-1" }, "--backlog-bound: -1 is out of range; accepted 0.001ms..10m")]
    [InlineData(new[] { "--drop", "1" }, "--drop: 1 is out of range; accepted 0..0.9")]
    [InlineData(new[] { "--drop", "-0.1" }, "--drop: -0.1 is out of range; accepted 0..0.9")]
    [InlineData(new[] { "--seed", "-1" }, "--seed: '-1' is not an unsigned 64-bit integer; accepted 0..18446744073709551615")]
    [InlineData(new[] { "--journal", "mysql:x" }, "--journal: 'mysql:x' is not a journal")]
    [InlineData(new[] { "--round-actions", "0" }, "--round-actions: 0 is out of range; accepted 1..1,000,000")]
    [InlineData(new[] { "--round-actions", "many" }, "--round-actions: 'many' is not a whole number; accepted 1..1,000,000")]
    [InlineData(new[] { "--round-interval", "0" }, "--round-interval: 0 is out of range; accepted 0.1ms..10s")]
    [InlineData(new[] { "--round-interval", "1m" }, "--round-interval: 1m is out of range; accepted 0.1ms..10s")]
    [InlineData(new[] { "--cascade", "later" }, "--cascade: 'later' is not a cascade mode; accepted spread, inline")]
    public async Task An_out_of_range_option_should_exit_2_naming_the_option_the_value_and_the_accepted_range(string[] args, string message)
    {
        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), ["loadtest", .. args]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.Contains("run 'crossmargin loadtest --help' for the accepted options", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_max_rate_below_the_starting_rate_should_be_refused_with_exit_2_when_stepping_up()
    {
        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "--step-up", "--tick-rate", "500", "--max-rate", "100");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--max-rate: 100 is below --tick-rate 500; accepted --tick-rate..1,000,000", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Several_bad_options_should_all_be_reported_at_once()
    {
        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "--tick-rate", "0", "--accounts", "0", "--duration", "0s");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--tick-rate: 0 is out of range", result.Error, StringComparison.Ordinal);
        Assert.Contains("--accounts: 0 is out of range", result.Error, StringComparison.Ordinal);
        Assert.Contains("--duration: 0s is out of range", result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("-1", "--threshold: -1 is out of range; accepted 0..10")]
    [InlineData("11", "--threshold: 11 is out of range; accepted 0..10")]
    [InlineData("ten", "--threshold: 'ten' is not a number; accepted 0..10")]
    public async Task A_compare_threshold_out_of_range_should_exit_2_with_the_accepted_range(string value, string message)
    {
        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", "a.json", "b.json", "--threshold", value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Compare_without_both_files_should_exit_2()
    {
        var result = await _cli.RunAsync(LoadTestRuns.MustNotRun(), "loadtest", "compare", "a.json");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Required argument missing for command: 'compare'", result.Error, StringComparison.Ordinal);
        Assert.Contains("run 'crossmargin loadtest compare --help'", result.Error, StringComparison.Ordinal);
    }
}
