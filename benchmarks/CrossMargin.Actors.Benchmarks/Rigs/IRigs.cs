namespace CrossMargin.Actors.Benchmarks.Rigs;

/// <summary>
/// N independent pairs (pinger, ponger). A round puts <c>inFlight</c> balls in flight per pair; each ball goes
/// pinger → ponger → pinger until the pinger has sent <c>quotaPerPair</c> pings. Every hand-off counts as one
/// message, so a round moves <c>2 × quotaPerPair × Pairs</c> messages.
/// </summary>
public interface IPingPongRig : IAsyncDisposable
{
    int Pairs { get; }

    Task RunAsync(int inFlight, long quotaPerPair);
}

/// <summary><see cref="Targets"/> idle receivers; a round sends one message to each and completes when all have handled it.</summary>
public interface IFanOutRig : IAsyncDisposable
{
    int Targets { get; }

    Task RunRoundAsync();
}
