using System.Text.Json;
using CrossMargin.Cli.Logging;
using Serilog.Events;

namespace CrossMargin.Cli.Tests;

public sealed class LoggingTests : IDisposable
{
    private readonly CliHarness _cli = new();

    public void Dispose() => _cli.Dispose();

    [Fact]
    public void File_sink_should_write_one_json_object_per_event_and_console_only_from_its_level()
    {
        var file = _cli.PathOf("logs", "test-.json");
        var console = new StringWriter();
        var settings = LoggingSettings.Default with { File = file, Level = LogEventLevel.Debug, ConsoleLevel = LogEventLevel.Warning };

        using (var logger = LoggingSetup.Create(settings, console))
        {
            logger.Debug("tick {Instrument} {Price}", "BTC-PERP", 99_500.5m);
            logger.Warning("liquidated {Account} {Instrument} size {Size} at {Price} in round {Round}", "acct-1", "BTC-PERP", 0.5m, 69_000m, 2);
        }

        var lines = File.ReadAllLines(Directory.GetFiles(Path.GetDirectoryName(file)!).Single());
        Assert.Equal(2, lines.Length);
        using var warning = JsonDocument.Parse(lines[1]);
        Assert.Equal("Warning", warning.RootElement.GetProperty("Level").GetString());
        Assert.Equal("acct-1", warning.RootElement.GetProperty("Properties").GetProperty("Account").GetString());
        Assert.Contains("liquidated \"acct-1\"", warning.RootElement.GetProperty("RenderedMessage").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("tick", console.ToString(), StringComparison.Ordinal);
        Assert.Contains("WRN", console.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Log_level_option_should_lower_the_console_level_when_output_is_not_live()
    {
        var services = new Services.EngineServices { Simulation = _ => new FakeSimulationRunner() };

        var quiet = await _cli.RunAsync(services, "simulate", "--report", _cli.PathOf("r1"));
        var chatty = await _cli.RunAsync(services, "simulate", "--report", _cli.PathOf("r2"), "--log-level", "debug");

        Assert.DoesNotContain("simulate starting", quiet.ConsoleLog, StringComparison.Ordinal);
        Assert.Contains("simulate starting", chatty.ConsoleLog, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("info", LogEventLevel.Information)]
    [InlineData("WARN", LogEventLevel.Warning)]
    [InlineData("verbose", LogEventLevel.Verbose)]
    public void Level_words_should_parse_with_aliases(string text, LogEventLevel expected)
    {
        Assert.True(LoggingSettings.TryParseLevel(text, out var level));
        Assert.Equal(expected, level);
    }
}
