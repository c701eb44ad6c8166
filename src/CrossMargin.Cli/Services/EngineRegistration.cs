namespace CrossMargin.Cli.Services;

/// <summary>
/// The one place where the engine's implementations are plugged into the CLI.
/// </summary>
/// <remarks>
/// Engine authors: set the factories below to your <c>ISimulationRunner</c>, <c>IReplayRunner</c>,
/// <c>IWhatIfRunner</c> and <c>IJournalInspector</c> (contracts in src/CrossMargin.Engine/Reporting/Contracts).
/// Until a factory is set, its command prints "&lt;command&gt;: the engine is not available in this build"
/// and exits 3 rather than pretending.
/// </remarks>
internal static class EngineRegistration
{
    /// <summary>The services the real program runs with.</summary>
    public static EngineServices Create() => new()
    {
        Simulation = ctx => new CrossMargin.Engine.Simulation.SimulationRunner(ctx.Configuration.Config, ctx.Logger),
        Replay = _ => new CrossMargin.Engine.Simulation.ReplayRunner(),
        WhatIf = ctx => new CrossMargin.Engine.Simulation.WhatIfRunner(ctx.Logger),
        Journal = _ => new CrossMargin.Engine.Simulation.JournalInspector(),
        LoadTest = ctx => new CrossMargin.Engine.LoadTest.LoadTestRunner(ctx.Configuration.Config, ctx.Logger),
    };
}
