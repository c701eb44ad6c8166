using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Diagnosers;
using BenchmarkDotNet.Exporters;
using BenchmarkDotNet.Exporters.Json;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Toolchains.InProcess.Emit;

namespace CrossMargin.Engine.Benchmarks.Bdn;

/// <summary>
/// BenchmarkDotNet settings for the engine suites: in-process (the default toolchain would rebuild the engine into the
/// shared obj/ folders other builds use), few iterations (one engine tick is milliseconds, not nanoseconds), GitHub
/// Markdown and JSON reports under the results path given, with the baseline ratio column.
/// </summary>
public sealed class BdnConfig : ManualConfig
{
    public BdnConfig(string resultsPath)
    {
        AddJob(Job.Default
            .WithToolchain(InProcessEmitToolchain.Instance)
            .WithWarmupCount(2)
            .WithIterationCount(8)
            .WithId("in-process"));
        AddColumnProvider(DefaultConfig.Instance.GetColumnProviders().ToArray());
        AddColumn(BaselineRatioColumn.RatioMean);
        AddDiagnoser(MemoryDiagnoser.Default);
        AddLogger(ConsoleLogger.Default);
        AddExporter(MarkdownExporter.GitHub, JsonExporter.Full);
        AddValidator(DefaultConfig.Instance.GetValidators().ToArray());
        AddAnalyser(DefaultConfig.Instance.GetAnalysers().ToArray());
        WithArtifactsPath(resultsPath);
        WithOptions(ConfigOptions.DisableLogFile);
    }
}
