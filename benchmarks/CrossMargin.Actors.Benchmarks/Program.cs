using System.Globalization;
using BenchmarkDotNet.Running;
using CrossMargin.Actors.Benchmarks.Bdn;
using CrossMargin.Actors.Benchmarks.Harness;
using CrossMargin.Actors.Benchmarks.Quick;

// Actor-kernel benchmarks, each figure beside the same hand-offs through raw System.Threading.Channels.
//   --quick [--reps N] [--seconds S]   all scenarios in under a minute, Markdown tables on stdout
//   --bdn [BenchmarkDotNet args]       (default) BenchmarkDotNet suites; reports in benchmarks/results/actors
//   --results <dir>                    where BenchmarkDotNet reports go instead
//   --profile kernel|raw pingpong PAIRS INFLIGHT SECONDS | fanout SECONDS   one side in a loop, for perf record
//   --probe-idle-memory kernel|raw N   internal: the child process of the idle-memory measurement
var list = args.ToList();

if (list.Count >= 3 && list[0] == IdleMemoryProbe.ChildFlag)
    return await IdleMemoryProbe.RunChildAsync(list[1], int.Parse(list[2], CultureInfo.InvariantCulture));

if (list.Count >= 1 && list[0] == "--profile")
    return await ProfileRunner.RunAsync(list[1..]);

if (list.Remove("--quick"))
    return await QuickRunner.RunAsync(QuickOptions.Parse(list));

list.Remove("--bdn");
var resultsIndex = list.IndexOf("--results");
if (resultsIndex >= 0)
{
    if (resultsIndex + 1 >= list.Count) throw new ArgumentException("--results needs a directory");
    BdnConfig.ReportsPath = Path.GetFullPath(list[resultsIndex + 1]);
    list.RemoveRange(resultsIndex, 2);
}
else
{
    BdnConfig.ReportsPath = RepoPaths.DefaultResultsPath();
}

// Without a filter BenchmarkDotNet asks interactively; run everything instead.
if (!list.Any(a => a is "--filter" or "-f" or "--list")) list.AddRange(["--filter", "*"]);
var summaries = BenchmarkSwitcher.FromTypes([typeof(PingPongBenchmarks), typeof(FanOutBenchmarks)]).Run([.. list], new BdnConfig());

var idle = await IdleMemoryReport.WriteAsync(BdnConfig.ReportsPath, QuickRunner.FanOutTargets);
Console.WriteLine($"Idle-memory table written to {idle}");
return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
