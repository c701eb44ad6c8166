using CrossMargin.Cluster.Configuration;

namespace CrossMargin.Cluster.Schema;

/// <summary>How <see cref="ClusterStore.OpenAsync(ClusterStoreOptions, CancellationToken)"/> connects.</summary>
/// <param name="Connection">Npgsql connection string.</param>
public sealed record ClusterStoreOptions(string Connection)
{
    /// <summary>
    /// The shard count this node expects: recorded at first open, compared on later ones. Null (read-only tools such as
    /// <c>cluster status</c>): accept whatever is recorded (<see cref="ClusterStore.ShardCount"/> is 0 when none is).
    /// </summary>
    public int? ShardCount { get; init; }

    /// <summary>Connection attempts before <see cref="ClusterUnreachableException"/>.</summary>
    public int ConnectAttempts { get; init; } = 10;

    /// <summary>Delay between attempts.</summary>
    public TimeSpan ConnectRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Options equivalent to <paramref name="settings"/>.</summary>
    public static ClusterStoreOptions From(ClusterSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new ClusterStoreOptions(settings.Connection)
        {
            ShardCount = settings.ShardCount,
            ConnectAttempts = settings.ConnectAttempts,
            ConnectRetryInterval = settings.ConnectRetryInterval,
        };
    }
}
