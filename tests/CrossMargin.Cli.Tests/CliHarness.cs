using CrossMargin.Cli;
using CrossMargin.Cli.Services;

namespace CrossMargin.Cli.Tests;

/// <summary>Runs the real command tree in-process with captured output and a private temporary folder.</summary>
internal sealed class CliHarness : IDisposable
{
    public CliHarness()
    {
        Folder = Path.Combine(Path.GetTempPath(), "cm-cli-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Folder);
        // Keeps the JSON log inside the temporary folder instead of ./data under the test's working directory.
        ConfigFile = Write("app.conf", $"crossmargin.logging.file = \"{Path.Combine(Folder, "logs", "cm-.json").Replace("\\", "/", StringComparison.Ordinal)}\"\n");
    }

    public string Folder { get; }

    public string ConfigFile { get; }

    public string PathOf(params string[] parts) => System.IO.Path.Combine([Folder, .. parts]);

    public string Write(string name, string text)
    {
        var path = System.IO.Path.Combine(Folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Runs <paramref name="args"/> with the harness's config file added.</summary>
    public Task<CliResult> RunAsync(EngineServices services, params string[] args) =>
        RunRawAsync(services, [.. args, "--config", ConfigFile]);

    public Task<CliResult> RunAsync(EngineServices services, CancellationToken cancellationToken, params string[] args) =>
        RunRawAsync(services, [.. args, "--config", ConfigFile], cancellationToken);

    /// <summary>Runs exactly <paramref name="args"/>.</summary>
    public static async Task<CliResult> RunRawAsync(EngineServices services, string[] args, CancellationToken cancellationToken = default)
    {
        var output = new StringWriter();
        var error = new StringWriter();
        var logs = new StringWriter();
        var app = new CliApp(services, CliConsole.Plain(output, error), logConsole: logs);
        var code = await app.RunAsync(args, cancellationToken: cancellationToken);
        return new CliResult(code, output.ToString(), error.ToString(), logs.ToString());
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Folder, recursive: true);
        }
        catch (IOException)
        {
            // A log file may still be closing on a slow machine; the OS cleans the temp folder.
        }
    }
}

internal sealed record CliResult(int ExitCode, string Out, string Error, string ConsoleLog);
