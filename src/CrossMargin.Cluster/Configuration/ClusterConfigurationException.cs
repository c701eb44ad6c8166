namespace CrossMargin.Cluster.Configuration;

/// <summary>
/// A cluster setting has a bad value; the message names where it came from (the HOCON key with its file:line:col, or the
/// environment variable), the value and what is allowed.
/// </summary>
public sealed class ClusterConfigurationException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="source">The key (<c>crossmargin.cluster.lease-ttl</c>) or variable (<c>CROSSMARGIN_SHARD_COUNT</c>) at fault.</param>
    /// <param name="value">The offending value as written, when there is one.</param>
    /// <param name="message">The full message.</param>
    public ClusterConfigurationException(string source, string? value, string message)
        : base(message)
    {
        Source = source;
        Value = value;
    }

    /// <summary>The key or environment variable at fault.</summary>
    public new string Source { get; }

    /// <summary>The offending value, when there is one.</summary>
    public string? Value { get; }
}
