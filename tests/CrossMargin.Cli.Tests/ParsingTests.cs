using CrossMargin.Cli.Services;

namespace CrossMargin.Cli.Tests;

public sealed class ParsingTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public async Task Help_should_list_every_command_and_the_global_options()
    {
        var result = await CliHarness.RunRawAsync(EngineServices.None, ["--help"]);

        Assert.Equal(0, result.ExitCode);
        foreach (var word in new[] { "simulate", "replay", "what-if", "journal", "--config", "--log-level", "--print-config" })
        {
            Assert.Contains(word, result.Out, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(new[] { "simulate", "--help" }, new[] { "--scenario", "--accounts", "--seed", "--journal", "--margin-mode", "--compare-modes", "--report", "--ticks", "--skip-bad-rows" })]
    [InlineData(new[] { "replay", "--help" }, new[] { "--journal", "--to" })]
    [InlineData(new[] { "what-if", "--help" }, new[] { "--journal", "--set", "--into", "--report" })]
    [InlineData(new[] { "journal", "--help" }, new[] { "list", "show", "tail", "stats" })]
    [InlineData(new[] { "journal", "tail", "--help" }, new[] { "--count", "--follow", "--journal" })]
    public async Task Command_help_should_list_its_options(string[] args, string[] expected)
    {
        var result = await CliHarness.RunRawAsync(EngineServices.None, args);

        Assert.Equal(0, result.ExitCode);
        Assert.All(expected, word => Assert.Contains(word, result.Out, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("0", "--accounts: 0 is out of range; accepted 1..10,000,000")]
    [InlineData("10000001", "--accounts: 10000001 is out of range; accepted 1..10,000,000")]
    [InlineData("many", "--accounts: 'many' is not a whole number; accepted 1..10,000,000")]
    public async Task Accounts_out_of_range_should_exit_2_naming_the_option_and_range(string value, string message)
    {
        var result = await _cli.RunAsync(EngineServices.None, "simulate", "--accounts", value);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "simulate", "--seed", "-1" }, "--seed: '-1' is not an unsigned 64-bit integer; accepted 0..18446744073709551615")]
    [InlineData(new[] { "simulate", "--seed", "18446744073709551616" }, "--seed: '18446744073709551616' is not an unsigned 64-bit integer")]
    [InlineData(new[] { "simulate", "--journal", "mysql:db" }, "--journal: 'mysql:db' is not a journal; expected sqlite:PATH, postgres:CONNECTION-STRING or inmem")]
    [InlineData(new[] { "simulate", "--journal", "sqlite:" }, "--journal: 'sqlite:' has no valid file path")]
    [InlineData(new[] { "simulate", "--margin-mode", "hedged" }, "--margin-mode: 'hedged' is not a margin mode; accepted cross, isolated, portfolio")]
    [InlineData(new[] { "simulate", "--scenario", "no/such.conf" }, "--scenario: scenario file 'no/such.conf' does not exist")]
    [InlineData(new[] { "simulate", "--scenario", "crash!" }, "--scenario: 'crash!' is not a scenario name")]
    [InlineData(new[] { "simulate", "--ticks", "missing.csv" }, "--ticks: file 'missing.csv' does not exist")]
    [InlineData(new[] { "simulate", "--bogus" }, "--bogus")]
    [InlineData(new[] { "replay" }, "--journal")]
    [InlineData(new[] { "replay", "--journal", "inmem", "--to", "yesterday" }, "--to: 'yesterday' is neither a sequence number")]
    [InlineData(new[] { "what-if", "--journal", "inmem" }, "--set")]
    [InlineData(new[] { "what-if", "--journal", "inmem", "--set", "nokey" }, "--set: 'nokey' is not key=value")]
    [InlineData(new[] { "what-if", "--journal", "inmem", "--set", "a..b=1" }, "--set: 'a..b' is not a HOCON path")]
    [InlineData(new[] { "what-if", "--journal", "inmem", "--set", "a.b=[1," }, "--set: 'a.b=[1,' is not valid HOCON")]
    [InlineData(new[] { "journal", "tail", "--journal", "inmem", "-n", "0" }, "--count: 0 is out of range; accepted 1..1,000,000")]
    [InlineData(new[] { "journal", "list" }, "--journal")]
    [InlineData(new[] { "simulate", "--log-level", "loud" }, "--log-level: 'loud' is not a log level")]
    public async Task Bad_input_should_exit_2_with_a_precise_message(string[] args, string message)
    {
        var result = await _cli.RunAsync(EngineServices.None, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_config_file_should_exit_2()
    {
        var result = await CliHarness.RunRawAsync(EngineServices.None, ["simulate", "--config", "nowhere.conf"]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("--config: file 'nowhere.conf' does not exist", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_malformed_config_file_should_exit_2_with_file_and_line()
    {
        var bad = _cli.Write("bad.conf", "crossmargin {\n  logging {\n    level = \n");

        var result = await CliHarness.RunRawAsync(EngineServices.None, ["simulate", "--config", bad]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("bad.conf:", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_log_level_in_the_config_should_exit_2_naming_the_key()
    {
        var conf = _cli.Write("levels.conf", "crossmargin.logging.level = loud\n");

        var result = await CliHarness.RunRawAsync(EngineServices.None, ["simulate", "--config", conf]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("crossmargin.logging.level = 'loud' is not a log level", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_command_should_exit_2_saying_which_commands_exist()
    {
        var result = await _cli.RunAsync(EngineServices.None);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("a command is required: simulate, replay, what-if, journal, loadtest, node or cluster", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Print_config_should_print_the_resolved_configuration_with_origins_and_not_run()
    {
        var conf = _cli.Write("print.conf", "crossmargin.logging.console-level = error\n");

        var result = await CliHarness.RunRawAsync(EngineServices.None, ["simulate", "--print-config", "--config", conf]);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("\"console-level\" : \"error\"", result.Out, StringComparison.Ordinal);
        Assert.Contains("print.conf:1", result.Out, StringComparison.Ordinal);
        Assert.Contains("reference.conf", result.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("simulate")]
    [InlineData("replay", "--journal", "inmem")]
    [InlineData("what-if", "--journal", "sqlite:a.db", "--set", "x.y=1")]
    [InlineData("journal", "stats", "--journal", "inmem")]
    public async Task A_command_without_an_engine_should_say_so_and_exit_3(params string[] args)
    {
        var result = await _cli.RunAsync(EngineServices.None, args);

        Assert.Equal(3, result.ExitCode);
        Assert.Contains("the engine is not available in this build", result.Error, StringComparison.Ordinal);
    }
}
