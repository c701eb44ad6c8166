namespace CrossMargin.Cluster.Membership;

/// <summary>A member's state. <see cref="Down"/> is never stored: it is derived from a stale heartbeat.</summary>
public enum MemberStatus
{
    /// <summary>Joined and heartbeating.</summary>
    Up,

    /// <summary>Shutting down: handing its leases off; takes no new ones.</summary>
    Leaving,

    /// <summary>Left cleanly; its row stays for <c>cluster status</c> until it joins again.</summary>
    Left,

    /// <summary>Stored as up or leaving, but its heartbeat is older than the failure timeout by the database clock.</summary>
    Down,
}
