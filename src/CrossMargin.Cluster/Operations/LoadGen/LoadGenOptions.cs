namespace CrossMargin.Cluster.Operations.LoadGen;

/// <summary>What <see cref="ClusterLoadGenerator"/> does (<c>crossmargin cluster loadgen</c>).</summary>
public sealed record LoadGenOptions
{
    /// <summary>Trading accounts of the scenario's directory to seed and drive (ids 1..N, plus the market maker); at most the population.</summary>
    public int Accounts { get; init; } = 1000;

    /// <summary>Length of the drive phase (after seeding).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Index ticks per second, spread over the scenario's feed symbols; each drive step also sends <see cref="CommandsPerTick"/> deposits.</summary>
    public int TickRate { get; init; } = 10;

    /// <summary>Small deposits to random seeded accounts per tick (user commands whose single effect the audit checks).</summary>
    public int CommandsPerTick { get; init; } = 5;

    /// <summary>
    /// Fraction the index falls over the drive, linearly (0.10 = −10 %): a falling market pushes leveraged accounts into
    /// margin calls and liquidations. 0 keeps prices flat.
    /// </summary>
    public decimal Drop { get; init; } = 0.10m;

    /// <summary>How long to wait for each reply before counting the command as unanswered (it stays queued).</summary>
    public TimeSpan ReplyTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Most requests awaiting a reply at once; the driver waits for room (closed loop under back-pressure).</summary>
    public int MaxInFlight { get; init; } = 512;

    /// <summary>File the acknowledged commands are written to (one per line, see <see cref="AcknowledgedCommand"/>); null for none.</summary>
    public string? AcknowledgedFile { get; init; }

    /// <summary>Seed of the random choices of the drive phase (which account gets a deposit).</summary>
    public ulong Seed { get; init; } = 42;
}
