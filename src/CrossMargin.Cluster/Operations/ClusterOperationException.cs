namespace CrossMargin.Cluster.Operations;

/// <summary>
/// An operations command (<c>cluster status</c>, <c>cluster up</c>, <c>cluster loadgen</c>) cannot do what was asked:
/// the server is unreachable, the cluster has never run there, a process could not be started. The message names the
/// target and what to do; the CLI prints it on one line.
/// </summary>
public sealed class ClusterOperationException : Exception
{
    /// <summary>Creates the exception with its one-line message.</summary>
    public ClusterOperationException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with its one-line message and cause.</summary>
    public ClusterOperationException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
