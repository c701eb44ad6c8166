using System.Buffers.Binary;

namespace CrossMargin.Cluster.Sharding;

/// <summary>
/// Account → shard, and the deterministic fair share of resources among live members. Pure functions; thread-safe.
/// </summary>
public static class ShardMap
{
    private const ulong FnvOffset = 14695981039346656037UL;
    private const ulong FnvPrime = 1099511628211UL;

    /// <summary>
    /// The shard of <paramref name="accountId"/>: FNV-1a (64-bit) over the id's 8 little-endian bytes, modulo
    /// <paramref name="shardCount"/>. Fixed forever for a journal: changing it (or the count) would move accounts
    /// between shards whose journals are already written.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="shardCount"/> is below 1.</exception>
    public static int ShardOf(long accountId, int shardCount)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(shardCount, 1);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, accountId);
        var hash = FnvOffset;
        foreach (var b in bytes)
        {
            hash ^= b;
            hash *= FnvPrime;
        }

        return (int)(hash % (ulong)shardCount);
    }

    /// <summary>
    /// The indexes (0..<paramref name="count"/>-1) that <paramref name="node"/> should own: with the live members sorted
    /// by name (ordinal), member i of m gets every index with <c>index % m == i</c>. Empty when the node is not among
    /// <paramref name="liveMembers"/>. Every node computes the same split from the same member list, without talking.
    /// </summary>
    public static IReadOnlyList<int> FairShare(int count, IReadOnlyList<string> liveMembers, string node)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        ArgumentNullException.ThrowIfNull(liveMembers);
        ArgumentNullException.ThrowIfNull(node);
        var sorted = liveMembers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = sorted.IndexOf(node);
        if (index < 0)
        {
            return [];
        }

        var share = new List<int>();
        for (var i = index; i < count; i += sorted.Count)
        {
            share.Add(i);
        }

        return share;
    }

    /// <summary>The member that should own index <paramref name="index"/> among <paramref name="liveMembers"/>, or null when there are none.</summary>
    public static string? RightfulOwner(int index, IReadOnlyList<string> liveMembers)
    {
        ArgumentNullException.ThrowIfNull(liveMembers);
        var sorted = liveMembers.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return sorted.Count == 0 ? null : sorted[index % sorted.Count];
    }
}
