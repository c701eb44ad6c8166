using System.Globalization;
using CrossMargin.Hocon;

namespace CrossMargin.Cluster.Configuration;

/// <summary>
/// The <c>crossmargin.cluster</c> HOCON section with its environment overrides, parsed and validated. See docs/cluster.md.
/// </summary>
/// <remarks>
/// Environment overrides (they win over HOCON): <c>CROSSMARGIN_CLUSTER_&lt;KEY&gt;</c> for every key, with <c>-</c> and
/// <c>.</c> written as <c>_</c> and upper case (<c>CROSSMARGIN_CLUSTER_LEASE_TTL</c>,
/// <c>CROSSMARGIN_CLUSTER_INBOX_POLL_INTERVAL</c>), plus the short names <c>CROSSMARGIN_NODE_NAME</c> and
/// <c>CROSSMARGIN_SHARD_COUNT</c>; when both a long and a short name are set the long one wins. Timing rules checked by
/// <see cref="Validate"/>: every duration positive; <c>failure-timeout &gt; heartbeat-interval</c>;
/// <c>lease-ttl &gt; renew-interval + stop-margin</c> (a lease survives one missed renew only if the renew interval leaves room).
/// </remarks>
public sealed record ClusterSettings
{
    /// <summary>HOCON path of the section.</summary>
    public const string Section = "crossmargin.cluster";

    /// <summary>Prefix of the general environment overrides.</summary>
    public const string EnvironmentPrefix = "CROSSMARGIN_CLUSTER_";

    /// <summary>Short variable for <see cref="NodeName"/>.</summary>
    public const string NodeNameVariable = "CROSSMARGIN_NODE_NAME";

    /// <summary>Short variable for <see cref="ShardCount"/>.</summary>
    public const string ShardCountVariable = "CROSSMARGIN_SHARD_COUNT";

    /// <summary>Variable for <see cref="Connection"/> (the general rule's name for <c>connection</c>).</summary>
    public const string ConnectionVariable = "CROSSMARGIN_CLUSTER_CONNECTION";

    /// <summary>Most shards a cluster may have.</summary>
    public const int MaxShardCount = 65_536;

    /// <summary>Longest node name (it is part of every journal row's writer id).</summary>
    public const int MaxNodeNameLength = 64;

    /// <summary>This node's unique name in the cluster; never empty after <see cref="FromConfig(Config)"/> (defaults to <c>&lt;hostname&gt;-&lt;pid&gt;</c>).</summary>
    public string NodeName { get; init; } = DefaultNodeName();

    /// <summary>An address others may show for this node (informational, e.g. <c>host:port</c>); empty for none.</summary>
    public string Address { get; init; } = string.Empty;

    /// <summary>Npgsql connection string of the coordination database (also the journal's).</summary>
    public string Connection { get; init; } = string.Empty;

    /// <summary>Shards of the account space; fixed forever for a journal (recorded in the database at first start).</summary>
    public int ShardCount { get; init; } = 64;

    /// <summary>How often a member writes its heartbeat.</summary>
    public TimeSpan HeartbeatInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A member whose heartbeat is older than this (database clock) is down.</summary>
    public TimeSpan FailureTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>A lease expires this long after its last successful renew (database clock).</summary>
    public TimeSpan LeaseTtl { get; init; } = TimeSpan.FromSeconds(6);

    /// <summary>How often held leases are renewed.</summary>
    public TimeSpan RenewInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Safety margin: a node stops a lease's actors once <c>renew start + lease-ttl - stop-margin</c> passes on its
    /// monotonic clock without a successful renew, so they are stopped before the lease can pass on.
    /// </summary>
    public TimeSpan StopMargin { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Fallback poll of an inbox when no NOTIFY arrives.</summary>
    public TimeSpan InboxPollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// How long a completed inbox message and its stored reply are kept (counted from completion, database clock) before
    /// the purge deletes them. Within it a re-sent command id is answered from the stored reply; after it the command
    /// would be enqueued and run again, unless the target still remembers its receipt. Must exceed every client's retry
    /// window. Default 1 hour.
    /// </summary>
    public TimeSpan InboxRetention { get; init; } = TimeSpan.FromHours(1);

    /// <summary>How often a node recomputes its fair share and acquires or hands off leases.</summary>
    public TimeSpan RebalanceInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>Connection attempts at start before giving up (unreachable PostgreSQL).</summary>
    public int ConnectAttempts { get; init; } = 10;

    /// <summary>Delay between connection attempts at start.</summary>
    public TimeSpan ConnectRetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Reads and validates the section from <paramref name="config"/> with the process environment's overrides.</summary>
    /// <exception cref="ClusterConfigurationException">A bad value; the message names the key or variable and the value.</exception>
    /// <exception cref="ConfigurationException">A HOCON value of the wrong type; the message names the path and its origin.</exception>
    public static ClusterSettings FromConfig(Config config) => FromConfig(config, ProcessEnvironment());

    /// <summary>As <see cref="FromConfig(Config)"/> with an explicit environment (tests).</summary>
    public static ClusterSettings FromConfig(Config config, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(config);
        ArgumentNullException.ThrowIfNull(environment);
        var reader = new Reader(config.HasPath(Section) ? config.GetConfig(Section) : ConfigurationFactory.Empty, environment);
        var d = new ClusterSettings();
        var name = reader.String("node-name", NodeNameVariable, string.Empty);
        var settings = new ClusterSettings
        {
            NodeName = string.IsNullOrWhiteSpace(name) ? DefaultNodeName() : name.Trim(),
            Address = reader.String("address", null, d.Address),
            Connection = reader.String("connection", null, d.Connection),
            ShardCount = reader.Int("shard-count", ShardCountVariable, d.ShardCount),
            HeartbeatInterval = reader.Duration("heartbeat-interval", d.HeartbeatInterval),
            FailureTimeout = reader.Duration("failure-timeout", d.FailureTimeout),
            LeaseTtl = reader.Duration("lease-ttl", d.LeaseTtl),
            RenewInterval = reader.Duration("renew-interval", d.RenewInterval),
            StopMargin = reader.Duration("stop-margin", d.StopMargin),
            InboxPollInterval = reader.Duration("inbox.poll-interval", d.InboxPollInterval),
            InboxRetention = reader.Duration("inbox.retention", d.InboxRetention),
            RebalanceInterval = reader.Duration("rebalance-interval", d.RebalanceInterval),
            ConnectAttempts = reader.Int("connect-attempts", null, d.ConnectAttempts),
            ConnectRetryInterval = reader.Duration("connect-retry-interval", d.ConnectRetryInterval),
        };
        try
        {
            return settings.Validate();
        }
        catch (ClusterConfigurationException e)
        {
            // Say where the bad value came from: the variable that set it, or the HOCON file:line:col.
            var key = e.Source.StartsWith(Section + ".", StringComparison.Ordinal) ? e.Source[(Section.Length + 1)..] : e.Source;
            var where = reader.VariableUsedFor(key) is { } variable
                ? $"set by environment variable {variable}"
                : config.GetValue(e.Source)?.Origin is { } origin ? $"at {origin}" : null;
            throw where is null ? e : new ClusterConfigurationException(e.Source, e.Value, $"{e.Message} ({where})");
        }
    }

    /// <summary>The environment variable overriding <paramref name="key"/> (e.g. <c>inbox.poll-interval</c> → <c>CROSSMARGIN_CLUSTER_INBOX_POLL_INTERVAL</c>).</summary>
    public static string VariableFor(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return EnvironmentPrefix + key.Replace('-', '_').Replace('.', '_').ToUpperInvariant();
    }

    /// <summary><c>&lt;hostname&gt;-&lt;pid&gt;</c>: the node name used when none is configured.</summary>
    public static string DefaultNodeName() => $"{Environment.MachineName.ToLowerInvariant()}-{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}";

    /// <summary>Checks every value and the relations between the timings; returns this.</summary>
    /// <exception cref="ClusterConfigurationException">The first rule broken, naming the key(s) and value(s).</exception>
    public ClusterSettings Validate()
    {
        if (string.IsNullOrWhiteSpace(NodeName) || NodeName.Length > MaxNodeNameLength || NodeName.Any(c => c == '/' || char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            throw Bad("node-name", NodeName, $"must be 1..{MaxNodeNameLength} characters without '/', spaces or control characters (it is part of every journal row's writer id)");
        }

        if (ShardCount < 1 || ShardCount > MaxShardCount)
        {
            throw Bad("shard-count", ShardCount.ToString(CultureInfo.InvariantCulture), $"must be between 1 and {MaxShardCount}");
        }

        if (ConnectAttempts < 1)
        {
            throw Bad("connect-attempts", ConnectAttempts.ToString(CultureInfo.InvariantCulture), "must be at least 1");
        }

        Positive("heartbeat-interval", HeartbeatInterval);
        Positive("failure-timeout", FailureTimeout);
        Positive("lease-ttl", LeaseTtl);
        Positive("renew-interval", RenewInterval);
        Positive("stop-margin", StopMargin);
        Positive("inbox.poll-interval", InboxPollInterval);
        Positive("inbox.retention", InboxRetention);
        Positive("rebalance-interval", RebalanceInterval);
        Positive("connect-retry-interval", ConnectRetryInterval);
        if (FailureTimeout <= HeartbeatInterval)
        {
            throw new ClusterConfigurationException(
                Key("failure-timeout"),
                Show(FailureTimeout),
                $"{Key("failure-timeout")} = {Show(FailureTimeout)} must be longer than {Key("heartbeat-interval")} = {Show(HeartbeatInterval)}, or a live member would be seen down between two heartbeats");
        }

        if (LeaseTtl <= RenewInterval + StopMargin)
        {
            throw new ClusterConfigurationException(
                Key("lease-ttl"),
                Show(LeaseTtl),
                $"{Key("lease-ttl")} = {Show(LeaseTtl)} must be longer than {Key("renew-interval")} + {Key("stop-margin")} = {Show(RenewInterval)} + {Show(StopMargin)}, or a node would stop its shards before its next renew could keep them");
        }

        return this;
    }

    /// <summary>Shows a duration the way it is written in HOCON (<c>1500ms</c>, <c>6s</c>).</summary>
    public static string Show(TimeSpan value)
        => value.Ticks % TimeSpan.TicksPerSecond == 0
            ? ((long)value.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : value.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";

    private static string Key(string key) => $"{Section}.{key}";

    private static ClusterConfigurationException Bad(string key, string value, string rule)
        => new(Key(key), value, $"{Key(key)} = \"{value}\" {rule}");

    private static void Positive(string key, TimeSpan value)
    {
        if (value <= TimeSpan.Zero || value == Timeout.InfiniteTimeSpan)
        {
            throw Bad(key, Show(value), "must be a positive, finite duration");
        }
    }

    private static IReadOnlyDictionary<string, string> ProcessEnvironment()
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry e in Environment.GetEnvironmentVariables())
        {
            if (e.Key is string k && e.Value is string v)
            {
                result[k] = v;
            }
        }

        return result;
    }

    /// <summary>Reads one key: the long variable, else the short variable, else HOCON, else the default.</summary>
    private sealed class Reader(Config section, IReadOnlyDictionary<string, string> environment)
    {
        private readonly Dictionary<string, string> _fromEnvironment = new(StringComparer.Ordinal);

        /// <summary>The variable that supplied <paramref name="key"/>, or null when it came from HOCON or the default.</summary>
        public string? VariableUsedFor(string key) => _fromEnvironment.GetValueOrDefault(key);

        public string String(string key, string? shortVariable, string fallback)
            => Variable(key, shortVariable) is { } v ? v.Value : section.GetString(key, fallback) ?? fallback;

        public int Int(string key, string? shortVariable, int fallback)
        {
            if (Variable(key, shortVariable) is { } v)
            {
                return int.TryParse(v.Value.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed)
                    ? parsed
                    : throw new ClusterConfigurationException(v.Name, v.Value, $"environment variable {v.Name} = \"{v.Value}\" is not a whole number (it sets {Key(key)})");
            }

            return section.GetInt(key, fallback);
        }

        public TimeSpan Duration(string key, TimeSpan fallback)
        {
            if (Variable(key, null) is { } v)
            {
                return DurationParser.TryParse(v.Value, allowInfinite: false, out var parsed, out var problem)
                    ? parsed
                    : throw new ClusterConfigurationException(v.Name, v.Value, $"environment variable {v.Name} = \"{v.Value}\" is not a duration: {problem} (it sets {Key(key)}; e.g. 500ms, 2s)");
            }

            return section.GetTimeSpan(key, fallback, allowInfinite: false);
        }

        private (string Name, string Value)? Variable(string key, string? shortVariable)
        {
            var name = VariableFor(key);
            if (environment.TryGetValue(name, out var value) && value.Length > 0)
            {
                _fromEnvironment[key] = name;
                return (name, value);
            }

            if (shortVariable is not null && environment.TryGetValue(shortVariable, out value) && value.Length > 0)
            {
                _fromEnvironment[key] = shortVariable;
                return (shortVariable, value);
            }

            return null;
        }
    }
}
