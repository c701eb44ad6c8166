using CrossMargin.Cli.Configuration;
using Serilog;

namespace CrossMargin.Cli.Services;

/// <summary>What the CLI hands an engine factory: the resolved configuration and the process logger.</summary>
/// <param name="Configuration">reference.conf ← <c>--config FILE</c> ← <c>--set</c> overrides (for simulate), already resolved.</param>
/// <param name="Logger">The process logger (console + rolling JSON file); the engine logs every liquidation through it.</param>
internal sealed record EngineContext(CliConfiguration Configuration, ILogger Logger);
