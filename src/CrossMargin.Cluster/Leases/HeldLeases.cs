using System.Collections.Concurrent;

namespace CrossMargin.Cluster.Leases;

/// <summary>
/// The leases this node currently holds, by resource: what the <see cref="Fencing.EpochFence"/> checks writes against.
/// A lease is added once acquired and removed the moment it is lost or before it is released.
/// </summary>
/// <remarks>Thread-safe.</remarks>
public sealed class HeldLeases
{
    private readonly ConcurrentDictionary<string, Lease> _byResource = new(StringComparer.Ordinal);

    /// <summary>The held lease of <paramref name="resource"/>, or null.</summary>
    public Lease? Get(string resource) => _byResource.TryGetValue(resource, out var lease) && !lease.IsLost ? lease : null;

    /// <summary>A snapshot of every held lease.</summary>
    public IReadOnlyList<Lease> All => _byResource.Values.Where(l => !l.IsLost).ToArray();

    /// <summary>Number of held leases.</summary>
    public int Count => _byResource.Count;

    /// <summary>Records <paramref name="lease"/> as held (replacing an older epoch's).</summary>
    public void Add(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        _byResource[lease.Resource] = lease;
    }

    /// <summary>Forgets <paramref name="lease"/> (only that epoch's object: a newer one for the same resource stays).</summary>
    public bool Remove(Lease lease)
    {
        ArgumentNullException.ThrowIfNull(lease);
        return _byResource.TryRemove(new KeyValuePair<string, Lease>(lease.Resource, lease));
    }
}
