using CrossMargin.Benchmarks.Shared;
using System.Globalization;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Running;
using CrossMargin.Risk.Benchmarks;

// `--quick`: Stopwatch loop, prints ns/op and ratios in well under a minute.
// Otherwise BenchmarkDotNet, e.g. `dotnet run -c Release -- --filter '*Remargin*'`.
// Results (quick tables; BenchmarkDotNet's Markdown + JSON reports) go to benchmarks/results/risk, or `--results DIR`.
var list = args.ToList();
var results = BenchmarkResults.TakeFolder(list, "risk");
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
