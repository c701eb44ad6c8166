using System.Diagnostics;

namespace CrossMargin.Cluster.Leases;

/// <summary>
/// A lease this node holds on one resource, under one fencing epoch. Carries the local "must stop by" deadline on the
/// monotonic clock: <c>start of the last successful renew (or acquire) + lease-ttl - stop-margin</c>.
/// </summary>
/// <remarks>
/// Thread-safe. A lease object belongs to one epoch; a later acquire of the same resource gives a new object with a
/// higher epoch. Once <see cref="IsLost"/> it never becomes held again.
/// </remarks>
public sealed class Lease
{
    private long _mustStopBy;
    private int _lost;

    internal Lease(string resource, string owner, Guid incarnation, long epoch, long mustStopByTimestamp)
    {
        Resource = resource;
        Owner = owner;
        Incarnation = incarnation;
        Epoch = epoch;
        _mustStopBy = mustStopByTimestamp;
    }

    /// <summary>The resource, e.g. <c>shard-7</c> or <c>singleton-coordinator</c>.</summary>
    public string Resource { get; }

    /// <summary>The owning node.</summary>
    public string Owner { get; }

    /// <summary>The owning node's incarnation.</summary>
    public Guid Incarnation { get; }

    /// <summary>The fencing epoch: bumped by every acquire of the resource; journal writes under an older one are refused.</summary>
    public long Epoch { get; }

    /// <summary>The must-stop-by deadline as a <see cref="Stopwatch.GetTimestamp"/> value.</summary>
    public long MustStopByTimestamp => Volatile.Read(ref _mustStopBy);

    /// <summary>Time left before this node must have stopped the resource's actors (negative when passed).</summary>
    public TimeSpan RemainingBeforeStop => Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), MustStopByTimestamp);

    /// <summary>True once the must-stop-by deadline has passed on the monotonic clock.</summary>
    public bool IsPastDeadline => Stopwatch.GetTimestamp() >= MustStopByTimestamp;

    /// <summary>True once the lease was declared lost or released (it is never held again).</summary>
    public bool IsLost => Volatile.Read(ref _lost) != 0;

    /// <summary>The writer id journal rows written under this lease carry: <c>node/incarnation/epoch</c>.</summary>
    public string WriterId => FormatWriterId(Owner, Incarnation, Epoch);

    /// <summary><c>node/incarnation/epoch</c>.</summary>
    public static string FormatWriterId(string node, Guid incarnation, long epoch)
        => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{node}/{incarnation:D}/{epoch}");

    /// <summary>For messages.</summary>
    public override string ToString() => $"{Resource}@{Epoch} ({Owner})";

    /// <summary>Moves the deadline forward after a successful renew (never backward, never after the lease is lost).</summary>
    internal bool Extend(long mustStopByTimestamp)
    {
        if (IsLost)
        {
            return false;
        }

        long current;
        do
        {
            current = Volatile.Read(ref _mustStopBy);
            if (mustStopByTimestamp <= current)
            {
                return true;
            }
        }
        while (Interlocked.CompareExchange(ref _mustStopBy, mustStopByTimestamp, current) != current);
        return !IsLost;
    }

    /// <summary>Marks the lease lost; true for the caller that did it first.</summary>
    internal bool MarkLost() => Interlocked.Exchange(ref _lost, 1) == 0;
}
