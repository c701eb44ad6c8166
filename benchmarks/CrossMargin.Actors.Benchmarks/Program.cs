using CrossMargin.Benchmarks.Shared;
using System.Globalization;
using BenchmarkDotNet.Running;
using CrossMargin.Actors.Benchmarks.Bdn;
using CrossMargin.Actors.Benchmarks.Harness;
using CrossMargin.Actors.Benchmarks.Quick;

// Actor-kernel benchmarks, each figure beside the same hand-offs through raw System.Threading.Channels.
//   --quick [--reps N] [--seconds S]   all scenarios in under a minute, Markdown tables on stdout and in benchmarks/results/actors
//   --bdn [BenchmarkDotNet args]       (default) BenchmarkDotNet suites; reports (Markdown + JSON) in benchmarks/results/actors
//   --results <dir>                    where reports go instead
//   --profile kernel|raw pingpong PAIRS INFLIGHT SECONDS | fanout SECONDS   one side in a loop, for perf record
//   --probe-idle-memory kernel|raw N   internal: the child process of the idle-memory measurement
var list = args.ToList();

if (list.Count >= 3 && list[0] == IdleMemoryProbe.ChildFlag)
    return await IdleMemoryProbe.RunChildAsync(list[1], int.Parse(list[2], CultureInfo.InvariantCulture));

if (list.Count >= 1 && list[0] == "--profile")
    return await ProfileRunner.RunAsync(list[1..]);

BdnConfig.ReportsPath = BenchmarkResults.TakeFolder(list, "actors");

if (list.Remove("--quick"))
{
    // The quick tables also go to benchmarks/results/actors/quick-<date>.md (the same folder as BenchmarkDotNet's reports).
    var console = Console.Out;
    var copy = new StringWriter(CultureInfo.InvariantCulture);
    Console.SetOut(new TeeWriter(console, copy));
    var code = await QuickRunner.RunAsync(QuickOptions.Parse(list));
    Console.SetOut(console);
    Directory.CreateDirectory(BdnConfig.ReportsPath);
    var file = Path.Combine(BdnConfig.ReportsPath, $"quick-{DateTime.UtcNow:yyyyMMdd-HHmm}.md");
    File.WriteAllText(file, copy.ToString());
    Console.WriteLine($"Quick tables written to {file}");
    return code;
}

list.Remove("--bdn");

// Without a filter BenchmarkDotNet asks interactively; run everything instead.
if (!list.Any(a => a is "--filter" or "-f" or "--list")) list.AddRange(["--filter", "*"]);
// Markdown (BdnConfig) and JSON reports, as every suite writes them under benchmarks/results/<suite>/.
var summaries = BenchmarkSwitcher.FromTypes([typeof(PingPongBenchmarks), typeof(FanOutBenchmarks)])
    .Run([.. list], new BdnConfig().AddExporter(BenchmarkDotNet.Exporters.Json.JsonExporter.Full));

var idle = await IdleMemoryReport.WriteAsync(BdnConfig.ReportsPath, QuickRunner.FanOutTargets);
Console.WriteLine($"Idle-memory table written to {idle}");
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
