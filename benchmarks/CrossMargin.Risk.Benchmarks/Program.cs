using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;
using CrossMargin.Risk.Benchmarks;

// `--quick`: Stopwatch loop, prints ns/op and ratios in well under a minute.
// Otherwise BenchmarkDotNet, e.g. `dotnet run -c Release -- --filter '*Remargin*'`.
// Results (quick tables; BenchmarkDotNet's Markdown + JSON reports) go to benchmarks/results/risk, or `--results DIR`.
var list = args.ToList();
var results = ResultsFolder(list);
if (list.Contains("--quick"))
{
    var console = Console.Out;
    var copy = new StringWriter(CultureInfo.InvariantCulture);
    Console.SetOut(new TeeWriter(console, copy));
    QuickRunner.Run();
    Console.SetOut(console);
    Directory.CreateDirectory(results);
    var file = Path.Combine(results, $"quick-{DateTime.UtcNow:yyyyMMdd-HHmm}.md");
    File.WriteAllText(file, copy.ToString());
    Console.WriteLine($"written to {file}");
    return;
}

var config = DefaultConfig.Instance
    .WithArtifactsPath(results)
    .AddExporter(JsonExporter.Full); // DefaultConfig already exports GitHub Markdown (and CSV, HTML)
BenchmarkSwitcher.FromAssembly(typeof(RemarginBenchmarks).Assembly).Run([.. list], config);

// benchmarks/results/risk under the repository root (the folder holding CrossMarginActors.sln), or --results DIR.
static string ResultsFolder(List<string> args)
{
    var i = args.IndexOf("--results");
    if (i >= 0)
    {
        var path = i + 1 < args.Count ? Path.GetFullPath(args[i + 1]) : throw new ArgumentException("--results needs a directory");
        args.RemoveRange(i, 2);
        return path;
    }

    foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
            {
                return Path.Combine(dir.FullName, "benchmarks", "results", "risk");
            }
        }
    }

    throw new InvalidOperationException($"cannot find CrossMarginActors.sln above {Environment.CurrentDirectory}; run from inside the repository or pass --results DIR");
}

/// <summary>Writes to the console and to a copy (the quick table's results file).</summary>
internal sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
{
    public override System.Text.Encoding Encoding => first.Encoding;

    public override void Write(char value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void Write(string? value)
    {
        first.Write(value);
        second.Write(value);
    }

    public override void WriteLine(string? value)
    {
        first.WriteLine(value);
        second.WriteLine(value);
    }

    public override void Flush() => first.Flush();
}
