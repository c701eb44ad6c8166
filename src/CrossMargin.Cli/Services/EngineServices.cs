using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Services;

/// <summary>
/// The engine implementations the commands use, as factories called once per command invocation.
/// A null factory means "not available in this build": the command says so and exits 3.
/// </summary>
/// <remarks>
/// The real program takes <see cref="EngineRegistration.Create"/>; tests pass fakes. Immutable; the
/// factories may be called from any thread, one invocation at a time.
/// </remarks>
internal sealed record EngineServices
{
    /// <summary>No engine at all.</summary>
    public static EngineServices None { get; } = new();

    /// <summary>Builds the runner behind <c>simulate</c>.</summary>
    public Func<EngineContext, ISimulationRunner>? Simulation { get; init; }

    /// <summary>Builds the runner behind <c>replay</c>.</summary>
    public Func<EngineContext, IReplayRunner>? Replay { get; init; }

    /// <summary>Builds the runner behind <c>what-if</c>.</summary>
    public Func<EngineContext, IWhatIfRunner>? WhatIf { get; init; }

    /// <summary>Builds the reader behind <c>journal list | show | tail | stats</c>.</summary>
    public Func<EngineContext, IJournalInspector>? Journal { get; init; }

    /// <summary>Builds the runner behind <c>loadtest</c>.</summary>
    public Func<EngineContext, CrossMargin.Engine.LoadTest.LoadTestRunner>? LoadTest { get; init; }
}
