using System.CommandLine;
using CrossMargin.Cli.Services;

namespace CrossMargin.Cli.Commands;

/// <summary>Everything one command's body needs: the parse result, the engine context, where to write, the clock and Ctrl-C.</summary>
/// <param name="Parse">The parsed command line.</param>
/// <param name="Engine">Configuration and logger for the engine factories.</param>
/// <param name="Services">The engine factories.</param>
/// <param name="Console">Where to write.</param>
/// <param name="Time">Wall clock for display pacing only (never for simulation logic).</param>
/// <param name="CancellationToken">Cancelled on Ctrl-C.</param>
internal sealed record Invocation(ParseResult Parse, EngineContext Engine, EngineServices Services, CliConsole Console, TimeProvider Time, CancellationToken CancellationToken)
{
    /// <summary>Builds an engine component, or throws <see cref="EngineUnavailableException"/> when the build has none.</summary>
    public T Require<T>(Func<EngineContext, T>? factory, string command) =>
        factory is null ? throw new EngineUnavailableException(command) : factory(Engine);
}

/// <summary>The command's engine component is not registered in this build (see EngineRegistration).</summary>
internal sealed class EngineUnavailableException(string command)
    : Exception($"{command}: the engine is not available in this build (no implementation registered in src/CrossMargin.Cli/Services/EngineRegistration.cs)");
