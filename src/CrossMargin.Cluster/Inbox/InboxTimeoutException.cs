namespace CrossMargin.Cluster.Inbox;

/// <summary>No reply to a command arrived within the caller's timeout. The command may still run later (it stays in the inbox); re-sending it with the same id is safe.</summary>
public sealed class InboxTimeoutException : TimeoutException
{
    /// <summary>Creates the exception.</summary>
    public InboxTimeoutException(Guid commandId, string target, TimeSpan timeout)
        : base($"no reply to command {commandId} for {target} within {timeout.TotalMilliseconds:0}ms; it stays queued and re-sending it with the same command id is safe")
    {
        CommandId = commandId;
        Target = target;
        Timeout = timeout;
    }

    /// <summary>The command.</summary>
    public Guid CommandId { get; }

    /// <summary>Its target.</summary>
    public string Target { get; }

    /// <summary>The timeout that passed.</summary>
    public TimeSpan Timeout { get; }
}
