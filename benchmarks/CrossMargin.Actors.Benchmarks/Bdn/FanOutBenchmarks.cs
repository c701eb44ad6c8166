using BenchmarkDotNet.Attributes;
using CrossMargin.Actors.Benchmarks.Rigs;

namespace CrossMargin.Actors.Benchmarks.Bdn;

/// <summary>One message told to each of 100,000 idle receivers; one operation is one message, raw channels are the baseline.</summary>
public class FanOutBenchmarks
{
    public const int Targets = 100_000;

    private IFanOutRig? _raw;
    private IFanOutRig? _kernel;

    [GlobalSetup(Target = nameof(RawChannels))]
    public void SetUpRaw() => _raw = new RawFanOut(Targets);

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetUpKernel() => _kernel = KernelFanOut.CreateAsync(Targets).GetAwaiter().GetResult();

    [Benchmark(Baseline = true, OperationsPerInvoke = Targets)]
    public Task RawChannels() => _raw!.RunRoundAsync();

    [Benchmark(OperationsPerInvoke = Targets)]
    public Task Kernel() => _kernel!.RunRoundAsync();

    [GlobalCleanup]
    public void CleanUp()
    {
        _raw?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _kernel?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (_raw, _kernel) = (null, null);
    }
}
