namespace CrossMargin.Actors.Benchmarks.Harness;

/// <summary>Upper bounds on waits: a stuck rig fails with a message instead of hanging the run.</summary>
internal static class Timeouts
{
    public static readonly TimeSpan Round = TimeSpan.FromSeconds(120);
    public static readonly TimeSpan Setup = TimeSpan.FromSeconds(120);
}
