using CrossMargin.Cluster.Configuration;
using CrossMargin.Hocon;

namespace CrossMargin.Cluster.Tests.Configuration;

public sealed class ClusterSettingsTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    [Fact]
    public void Reference_conf_defaults_should_be_the_documented_timings()
    {
        var settings = ClusterSettings.FromConfig(ConfigurationFactory.Default(), NoEnvironment);

        Assert.Equal(64, settings.ShardCount);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.HeartbeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(5), settings.FailureTimeout);
        Assert.Equal(TimeSpan.FromSeconds(6), settings.LeaseTtl);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RenewInterval);
        Assert.Equal(TimeSpan.FromSeconds(1), settings.StopMargin);
        Assert.Equal(TimeSpan.FromMilliseconds(500), settings.InboxPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(2), settings.RebalanceInterval);
        Assert.Equal(ClusterSettings.DefaultNodeName(), settings.NodeName);
        Assert.Equal(string.Empty, settings.Connection);
    }

    [Fact]
    public void Environment_variables_should_override_hocon_and_the_long_name_should_win_over_the_short_one()
    {
        var config = ConfigurationFactory.ParseString("crossmargin.cluster { node-name = from-file, shard-count = 16, lease-ttl = 9s }");
        var environment = new Dictionary<string, string>
        {
            ["CROSSMARGIN_NODE_NAME"] = "short-name",
            ["CROSSMARGIN_SHARD_COUNT"] = "32",
            ["CROSSMARGIN_CLUSTER_SHARD_COUNT"] = "48",
            ["CROSSMARGIN_CLUSTER_CONNECTION"] = "Host=db;Database=x",
            ["CROSSMARGIN_CLUSTER_INBOX_POLL_INTERVAL"] = "250ms",
        };

        var settings = ClusterSettings.FromConfig(config, environment);

        Assert.Equal("short-name", settings.NodeName);
        Assert.Equal(48, settings.ShardCount);
        Assert.Equal("Host=db;Database=x", settings.Connection);
        Assert.Equal(TimeSpan.FromMilliseconds(250), settings.InboxPollInterval);
        Assert.Equal(TimeSpan.FromSeconds(9), settings.LeaseTtl);
    }

    [Fact]
    public void A_bad_environment_value_should_be_refused_naming_the_variable_and_the_value()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.Empty, new Dictionary<string, string> { ["CROSSMARGIN_SHARD_COUNT"] = "many" }));
        Assert.Equal("CROSSMARGIN_SHARD_COUNT", e.Source);
        Assert.Contains("\"many\"", e.Message, StringComparison.Ordinal);

        var d = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.Empty, new Dictionary<string, string> { ["CROSSMARGIN_CLUSTER_LEASE_TTL"] = "6 fortnights" }));
        Assert.Contains("CROSSMARGIN_CLUSTER_LEASE_TTL", d.Message, StringComparison.Ordinal);
        Assert.Contains("6 fortnights", d.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_shard_count_out_of_range_should_be_refused_naming_the_key_and_value()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.ParseString("crossmargin.cluster.shard-count = 0"), NoEnvironment));
        Assert.Equal("crossmargin.cluster.shard-count", e.Source);
        Assert.Contains("crossmargin.cluster.shard-count = \"0\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("at string:1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_value_from_a_variable_should_name_the_variable_that_set_it()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.Empty, new Dictionary<string, string> { ["CROSSMARGIN_SHARD_COUNT"] = "0" }));
        Assert.Contains("set by environment variable CROSSMARGIN_SHARD_COUNT", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_lease_ttl_not_longer_than_renew_interval_plus_stop_margin_should_be_refused_naming_all_three()
    {
        var config = ConfigurationFactory.ParseString("crossmargin.cluster { lease-ttl = 3s, renew-interval = 2s, stop-margin = 1s }");

        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(config, NoEnvironment));

        Assert.Contains("lease-ttl = 3s", e.Message, StringComparison.Ordinal);
        Assert.Contains("renew-interval", e.Message, StringComparison.Ordinal);
        Assert.Contains("stop-margin", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_failure_timeout_not_longer_than_the_heartbeat_interval_should_be_refused()
    {
        var config = ConfigurationFactory.ParseString("crossmargin.cluster { failure-timeout = 1s, heartbeat-interval = 1s }");

        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(config, NoEnvironment));

        Assert.Contains("failure-timeout = 1s", e.Message, StringComparison.Ordinal);
        Assert.Contains("heartbeat-interval = 1s", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_node_name_with_a_slash_should_be_refused_because_it_is_part_of_the_writer_id()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.Empty, new Dictionary<string, string> { ["CROSSMARGIN_NODE_NAME"] = "a/b" }));
        Assert.Contains("a/b", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Variable_names_should_follow_the_documented_rule()
    {
        Assert.Equal("CROSSMARGIN_CLUSTER_SHARD_COUNT", ClusterSettings.VariableFor("shard-count"));
        Assert.Equal("CROSSMARGIN_CLUSTER_INBOX_POLL_INTERVAL", ClusterSettings.VariableFor("inbox.poll-interval"));
    }
}
