using BenchmarkDotNet.Running;
using CrossMargin.Risk.Benchmarks;

// `--quick`: Stopwatch loop, prints ns/op and ratios in well under a minute.
// Otherwise BenchmarkDotNet, e.g. `dotnet run -c Release -- --filter '*Remargin*'`.
if (args.Contains("--quick"))
{
    QuickRunner.Run();
    return;
}

BenchmarkSwitcher.FromAssembly(typeof(RemarginBenchmarks).Assembly).Run(args);
