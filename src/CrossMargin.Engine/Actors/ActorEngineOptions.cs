namespace CrossMargin.Engine.Actors;

/// <summary>Knobs of the <see cref="ActorEngine"/>.</summary>
public sealed record ActorEngineOptions
{
    /// <summary>Shards of the account region (account id mod shards). Default 32.</summary>
    public int Shards { get; init; } = 32;

    /// <summary>
    /// An account snapshots after every this many of its events (0 = never). Default 1000, as <c>crossmargin.persistence.snapshot-interval</c>;
    /// runs (<c>simulate --engine actors</c>) take the configured value (<see cref="Scenarios.Scenario.Journal"/>).
    /// </summary>
    public int SnapshotEvery { get; init; } = 1000;

    /// <summary>Idle time after which an account passivates (null = never). The driver does not move the virtual clock, so in a run this only matters to callers that do.</summary>
    public TimeSpan? PassivateAfter { get; init; }

    /// <summary>Longest wall time <see cref="ActorEngine.Settle"/> waits for outstanding journal round trips without any progress before it fails. Default 2 minutes.</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromMinutes(2);
}
