using CrossMargin.Benchmarks.Shared;
using System.Globalization;
using BenchmarkDotNet.Running;
using CrossMargin.Engine.Benchmarks;
using CrossMargin.Engine.Benchmarks.Bdn;
using CrossMargin.Engine.Benchmarks.Quick;

// Engine benchmarks (per tick and per cascade round), each beside a baseline measured in the same process.
//   --quick [--accounts N] [--batches B] [--batch-seconds S] [--crashes C] [--crash-drop X]
//                       every scenario in about a minute; a Markdown table on stdout and in benchmarks/results/engine/
//   (default) or --bdn  BenchmarkDotNet suites QuietTick, WakeTick, Cascade; reports (Markdown + JSON) in benchmarks/results/engine/
//   --results DIR       where results go instead
var list = args.ToList();
var results = BenchmarkResults.TakeFolder(list, "engine");

if (list.Remove("--quick"))
{
    Directory.CreateDirectory(results);
    var table = new StringWriter(CultureInfo.InvariantCulture);
    QuickRunner.Run(QuickOptions.Parse(list), new TeeWriter(Console.Out, table));
    var file = Path.Combine(results, $"quick-{DateTime.UtcNow:yyyyMMdd-HHmm}.md");
    File.WriteAllText(file, table.ToString());
    Console.WriteLine($"written to {file}");
    return 0;
}

list.Remove("--bdn");
if (!list.Any(a => a is "--filter" or "-f" or "--list"))
{
    list.AddRange(["--filter", "*"]); // without a filter BenchmarkDotNet asks interactively
}

var summaries = BenchmarkSwitcher.FromTypes([typeof(QuietTickBenchmarks), typeof(WakeTickBenchmarks), typeof(CascadeBenchmarks)])
    .Run([.. list], new BdnConfig(results));
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
