using System.Globalization;

namespace CrossMargin.Cluster.Sharding;

/// <summary>
/// Names of lease resources (and inbox targets): <c>shard-&lt;n&gt;</c>, <c>singleton-&lt;name&gt;</c>
/// (<c>singleton-coordinator</c>, <c>singleton-feed-&lt;SYMBOL&gt;</c>), and the map from journal persistence ids to them.
/// </summary>
public static class ClusterResources
{
    /// <summary>Prefix of shard resources.</summary>
    public const string ShardPrefix = "shard-";

    /// <summary>Prefix of singleton resources.</summary>
    public const string SingletonPrefix = "singleton-";

    /// <summary>Singleton name of the liquidation coordinator.</summary>
    public const string CoordinatorName = "coordinator";

    /// <summary>Resource of the liquidation coordinator singleton.</summary>
    public const string Coordinator = SingletonPrefix + CoordinatorName;

    /// <summary><c>shard-&lt;n&gt;</c>.</summary>
    public static string Shard(int shard) => ShardPrefix + shard.ToString(CultureInfo.InvariantCulture);

    /// <summary><c>singleton-&lt;name&gt;</c>.</summary>
    public static string Singleton(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return SingletonPrefix + name;
    }

    /// <summary>Singleton name of the price feed of <paramref name="symbol"/>: <c>feed-&lt;SYMBOL&gt;</c>.</summary>
    public static string FeedName(string symbol)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(symbol);
        return "feed-" + symbol;
    }

    /// <summary>Resource of the price feed singleton of <paramref name="symbol"/>: <c>singleton-feed-&lt;SYMBOL&gt;</c>.</summary>
    public static string Feed(string symbol) => Singleton(FeedName(symbol));

    /// <summary>The shard number of a <c>shard-&lt;n&gt;</c> resource.</summary>
    public static bool TryParseShard(string resource, out int shard)
    {
        shard = -1;
        return resource is not null
            && resource.StartsWith(ShardPrefix, StringComparison.Ordinal)
            && int.TryParse(resource.AsSpan(ShardPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out shard);
    }

    /// <summary>
    /// The resource guarding a journal stream of the engine: <c>account-&lt;id&gt;</c> → <c>shard-&lt;ShardOf(id)&gt;</c>,
    /// <c>liquidation-coordinator</c> → <c>singleton-coordinator</c>, <c>feed-&lt;S&gt;</c> → <c>singleton-feed-&lt;S&gt;</c>;
    /// null for any other stream (not fenced).
    /// </summary>
    public static string? ResourceOfPersistenceId(string persistenceId, int shardCount)
    {
        ArgumentNullException.ThrowIfNull(persistenceId);
        const string Account = "account-";
        if (persistenceId.StartsWith(Account, StringComparison.Ordinal)
            && long.TryParse(persistenceId.AsSpan(Account.Length), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var id))
        {
            return Shard(ShardMap.ShardOf(id, shardCount));
        }

        if (persistenceId == Engine.Domain.EngineIds.Coordinator)
        {
            return Coordinator;
        }

        if (persistenceId.StartsWith("feed-", StringComparison.Ordinal) && persistenceId.Length > "feed-".Length)
        {
            return SingletonPrefix + persistenceId;
        }

        return null;
    }

    /// <summary>Orders resources for display: shards by number first, then everything else by name (ordinal).</summary>
    public static int Compare(string? a, string? b)
    {
        var aShard = TryParseShard(a ?? string.Empty, out var x);
        var bShard = TryParseShard(b ?? string.Empty, out var y);
        return (aShard, bShard) switch
        {
            (true, true) => x.CompareTo(y),
            (true, false) => -1,
            (false, true) => 1,
            _ => string.CompareOrdinal(a, b),
        };
    }
}
