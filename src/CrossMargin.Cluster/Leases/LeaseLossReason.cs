namespace CrossMargin.Cluster.Leases;

/// <summary>Why a held lease ended.</summary>
public enum LeaseLossReason
{
    /// <summary>Rebalance: the resource belongs to another live member's share; handed off gracefully (stop, then release).</summary>
    Handoff,

    /// <summary>This node is leaving; handed off gracefully (stop, then release).</summary>
    Leaving,

    /// <summary>The database refused the renew: the lease expired or another owner took it over (a newer epoch).</summary>
    RenewRefused,

    /// <summary>No renew succeeded before the local must-stop-by deadline (database unreachable or this process stalled).</summary>
    DeadlinePassed,
}
