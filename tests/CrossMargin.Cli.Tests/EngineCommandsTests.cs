using CrossMargin.Cli.Services;

namespace CrossMargin.Cli.Tests;

/// <summary>
/// The commands on the real engine (EngineRegistration), small runs on SQLite in a temporary folder: persistence keys
/// from configuration, replay from snapshots, <c>replay --run</c>.
/// </summary>
public sealed class EngineCommandsTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _cli.Dispose();
    }

    private static EngineServices Engine => EngineRegistration.Create();

    private Task<CliResult> Simulate(string journal, params string[] more) =>
        _cli.RunAsync(Engine, ["simulate", "--accounts", "40", "--seed", "3", "--journal", "sqlite:" + journal, "--report", _cli.PathOf("r-" + Path.GetFileNameWithoutExtension(journal)), .. more]);

    [Theory]
    [InlineData("crossmargin.persistence.batch-size=0", "crossmargin.persistence.batch-size must be 1..1000000, got 0 (--set:1)")]
    [InlineData("crossmargin.persistence.batch-size=lots", "crossmargin.persistence.batch-size")]
    [InlineData("crossmargin.persistence.snapshot-interval=-5", "crossmargin.persistence.snapshot-interval must be 0..100000000, got -5 (--set:1)")]
    public async Task Simulate_should_refuse_a_bad_persistence_value_naming_the_key_and_value_and_write_nothing(string set, string message)
    {
        var journal = _cli.PathOf("bad.db");

        var result = await Simulate(journal, "--set", set);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(journal), "a refused run must not create its journal");
    }

    [Fact]
    public async Task Simulate_should_read_the_persistence_keys_of_the_config_file_and_name_the_file_when_bad()
    {
        var config = _cli.Write("bad-persistence.conf", File.ReadAllText(_cli.ConfigFile) + "crossmargin.persistence.snapshot-interval = -1\n");

        var result = await CliHarness.RunRawAsync(Engine, ["simulate", "--accounts", "20", "--journal", "sqlite:" + _cli.PathOf("c.db"), "--report", _cli.PathOf("rc"), "--config", config]);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("crossmargin.persistence.snapshot-interval must be 0..100000000, got -1 (" + config + ":2)", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_should_rebuild_an_actor_run_from_its_snapshots_and_check_the_recorded_hash()
    {
        var journal = _cli.PathOf("actors.db");
        var run = await Simulate(journal, "--engine", "actors", "--set", "crossmargin.persistence.snapshot-interval=4");
        Assert.Equal(0, run.ExitCode);

        var replay = await _cli.RunAsync(Engine, "replay", "--journal", "sqlite:" + journal);
        var full = await _cli.RunAsync(Engine, "replay", "--journal", "sqlite:" + journal, "--no-snapshots");

        Assert.Equal(0, replay.ExitCode);
        Assert.Equal(0, full.ExitCode);
        Assert.Contains("matches the hash recorded when the run ended", replay.Out, StringComparison.Ordinal);
        Assert.DoesNotMatch(@"snapshots used\s*│\s*0\s", replay.Out);
        Assert.Matches(@"snapshots used\s*│\s*0\s", full.Out);
        Assert.Equal(StateHash(full.Out), StateHash(replay.Out));
    }

    [Fact]
    public async Task Replay_with_run_should_refuse_a_journal_holding_another_run()
    {
        var journal = _cli.PathOf("direct.db");
        Assert.Equal(0, (await Simulate(journal)).ExitCode);

        var right = await _cli.RunAsync(Engine, "replay", "--journal", "sqlite:" + journal, "--run", "crash-default-seed3-n40");
        var wrong = await _cli.RunAsync(Engine, "replay", "--journal", "sqlite:" + journal, "--run", "crash-isolated");

        Assert.Equal(0, right.ExitCode);
        Assert.Equal(2, wrong.ExitCode);
        Assert.Contains("--run crash-isolated: journal sqlite:" + journal + " holds run 'crash-default-seed3-n40'", wrong.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Replay_should_pass_run_and_no_snapshots_to_the_engine()
    {
        var fake = new FakeReplayRunner("abc", "abc");
        var plain = new FakeReplayRunner("abc", "abc");

        Assert.Equal(0, (await _cli.RunAsync(new EngineServices { Replay = _ => fake }, "replay", "--journal", "sqlite:x.db", "--run", "crash-cross", "--no-snapshots")).ExitCode);
        Assert.Equal(0, (await _cli.RunAsync(new EngineServices { Replay = _ => plain }, "replay", "--journal", "sqlite:x.db")).ExitCode);

        Assert.Equal("crash-cross", fake.Request!.RunId);
        Assert.False(fake.Request.UseSnapshots);
        Assert.Null(plain.Request!.RunId);
        Assert.True(plain.Request.UseSnapshots);
    }

    private static string StateHash(string output) =>
        System.Text.RegularExpressions.Regex.Match(output, "state hash ([0-9a-f]{64})").Groups[1].Value;
}
