namespace CrossMargin.Cluster.Schema;

/// <summary>
/// PostgreSQL could not be reached at start within the configured attempts; the message names the target
/// (host:port/database), the attempts and the retry interval, and the last error.
/// </summary>
public sealed class ClusterUnreachableException : Exception
{
    /// <summary>Creates the exception.</summary>
    public ClusterUnreachableException(string target, int attempts, TimeSpan retryInterval, Exception? lastError)
        : base($"cannot reach the cluster's PostgreSQL at {target}: {attempts} attempt(s) {retryInterval.TotalMilliseconds:0}ms apart all failed" +
            (lastError is null ? string.Empty : $"; last error: {lastError.Message}") +
            " (check crossmargin.cluster.connection / CROSSMARGIN_CLUSTER_CONNECTION; attempts and spacing: crossmargin.cluster.connect-attempts, connect-retry-interval)", lastError)
    {
        Target = target;
        Attempts = attempts;
        RetryInterval = retryInterval;
    }

    /// <summary>host:port/database.</summary>
    public string Target { get; }

    /// <summary>Connection attempts made.</summary>
    public int Attempts { get; }

    /// <summary>Delay between attempts.</summary>
    public TimeSpan RetryInterval { get; }
}
