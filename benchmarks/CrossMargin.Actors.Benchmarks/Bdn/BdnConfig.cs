using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CrossMargin.Actors.Benchmarks.Bdn;

/// <summary>
/// BenchmarkDotNet settings for the actor suites: in-process (the default toolchain would rebuild the kernel into the
/// shared obj/ folders other builds use), GitHub-Markdown reports only (the switcher is given this config, so
/// BenchmarkDotNet's default exporters are not added), under <see cref="ReportsPath"/>.
/// </summary>
public sealed class BdnConfig : ManualConfig
{
    /// <summary>Where reports go; set by Program before BenchmarkDotNet reads the config.</summary>
    public static string ReportsPath { get; set; } = Path.Combine("benchmarks", "results", "actors");

    public BdnConfig()
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(3)
            .WithIterationCount(10)
            .WithId("in-process"));
        AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray());
        AddColumn(new MessagesPerSecondColumn(), new ThroughputRatioColumn());
        AddDiagnoser(MemoryDiagnoser.Default);
        AddLogger(ConsoleLogger.Default);
        AddExporter(MarkdownExporter.GitHub);
        AddValidator(DefaultConfig.Instance.GetValidators().ToArray());
        AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray());
        WithArtifactsPath(ReportsPath);
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
