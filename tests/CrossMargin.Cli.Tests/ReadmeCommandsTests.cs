using System.Runtime.CompilerServices;

namespace CrossMargin.Cli.Tests;

/// <summary>
/// Keeps README.md, .ci/run and the command tree in step: the README's two commands are what a new
/// user types, and CI must run exactly the README's test command.
/// </summary>
public sealed class ReadmeCommandsTests
{
    private static string RepoRoot([CallerFilePath] string thisFile = "")
    {
        // Walk up from this source file (the test binaries may live outside the repository).
        var dir = new DirectoryInfo(Path.GetDirectoryName(thisFile)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
            dir = dir.Parent;
        Assert.True(dir is not null, "cannot find the repository root (CrossMarginActors.sln) above " + thisFile);
        return dir!.FullName;
    }

    private static List<string> IndentedCommands(string readme) =>
        readme.Split('\n')
            .Where(l => l.StartsWith("    ", StringComparison.Ordinal) && l.Trim().Length > 0)
            .Select(l => l.Trim())
            .ToList();

    [Fact]
    public void Ci_should_run_exactly_the_test_command_the_readme_gives()
    {
        var root = RepoRoot();
        var commands = IndentedCommands(File.ReadAllText(Path.Combine(root, "README.md")));
        var testCommand = commands.FirstOrDefault(c => c.Contains("test", StringComparison.Ordinal) && !c.Contains("simulate", StringComparison.Ordinal));
        Assert.False(testCommand is null, "README.md has no indented test command");
        var ciLines = File.ReadAllLines(Path.Combine(root, ".ci", "run")).Select(l => l.Trim()).ToList();
        Assert.Contains(testCommand, ciLines);
    }

    [Fact]
    public async Task The_readme_main_command_should_name_a_command_the_cli_has()
    {
        var root = RepoRoot();
        var main = IndentedCommands(File.ReadAllText(Path.Combine(root, "README.md")))
            .FirstOrDefault(c => c.StartsWith("dotnet run --project src/CrossMargin.Cli", StringComparison.Ordinal));
        Assert.False(main is null, "README.md has no `dotnet run --project src/CrossMargin.Cli -- …` command");
        var verb = main!.Split(" -- ", 2)[1].Split(' ')[0];
        var result = await CliHarness.RunRawAsync(Services.EngineServices.None, [verb, "--help"]);
        Assert.Equal(0, result.ExitCode);
        Assert.Contains(verb, result.Out, StringComparison.Ordinal);
    }
}
