using BenchmarkDotNet.Attributes;
using CrossMargin.Actors.Benchmarks.Rigs;

namespace CrossMargin.Actors.Benchmarks.Bdn;

/// <summary>
/// Ping-pong between <see cref="Pairs"/> pairs with <see cref="InFlight"/> balls per pair. One operation is one message
/// (hand-off); the raw-channel rig is the baseline, so Ratio = kernel time per message / raw time per message.
/// </summary>
public class PingPongBenchmarks
{
    /// <summary>Messages per invocation; divisible by 2 × every pair count.</summary>
    public const int MessagesPerInvoke = 384_000;

    private IPingPongRig? _raw;
    private IPingPongRig? _kernel;

    [Params(1, 8, 64)]
    public int Pairs { get; set; }

    [Params(1, 30)]
    public int InFlight { get; set; }

    private long QuotaPerPair => MessagesPerInvoke / (2L * Pairs);

    [GlobalSetup(Target = nameof(RawChannels))]
    public void SetUpRaw() => _raw = new RawPingPong(Pairs);

    [GlobalSetup(Target = nameof(Kernel))]
    public void SetUpKernel() => _kernel = new KernelPingPong(Pairs);

    [Benchmark(Baseline = true, OperationsPerInvoke = MessagesPerInvoke)]
    public Task RawChannels() => _raw!.RunAsync(InFlight, QuotaPerPair);

    [Benchmark(OperationsPerInvoke = MessagesPerInvoke)]
    public Task Kernel() => _kernel!.RunAsync(InFlight, QuotaPerPair);

    [GlobalCleanup]
    public void CleanUp()
    {
        _raw?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        _kernel?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        (_raw, _kernel) = (null, null);
    }
}
