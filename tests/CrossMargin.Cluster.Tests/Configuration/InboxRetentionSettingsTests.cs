using CrossMargin.Cluster.Configuration;
using CrossMargin.Hocon;

namespace CrossMargin.Cluster.Tests.Configuration;

public sealed class InboxRetentionSettingsTests
{
    private static readonly Dictionary<string, string> NoEnvironment = new();

    [Fact]
    public void The_inbox_retention_should_default_to_one_hour_from_reference_conf()
    {
        Assert.Equal(TimeSpan.FromHours(1), ClusterSettings.FromConfig(ConfigurationFactory.Default(), NoEnvironment).InboxRetention);
        Assert.Equal(TimeSpan.FromHours(1), new ClusterSettings().InboxRetention);
    }

    [Fact]
    public void The_inbox_retention_should_be_read_from_hocon_and_overridden_by_its_environment_variable()
    {
        var config = ConfigurationFactory.ParseString("crossmargin.cluster.inbox.retention = 2h");

        Assert.Equal(TimeSpan.FromHours(2), ClusterSettings.FromConfig(config, NoEnvironment).InboxRetention);
        Assert.Equal("CROSSMARGIN_CLUSTER_INBOX_RETENTION", ClusterSettings.VariableFor("inbox.retention"));
        var overridden = ClusterSettings.FromConfig(config, new Dictionary<string, string> { ["CROSSMARGIN_CLUSTER_INBOX_RETENTION"] = "15m" });
        Assert.Equal(TimeSpan.FromMinutes(15), overridden.InboxRetention);
    }

    [Fact]
    public void A_bad_inbox_retention_variable_should_be_refused_naming_the_variable_and_the_value()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.Empty, new Dictionary<string, string> { ["CROSSMARGIN_CLUSTER_INBOX_RETENTION"] = "a while" }));

        Assert.Equal("CROSSMARGIN_CLUSTER_INBOX_RETENTION", e.Source);
        Assert.Equal("a while", e.Value);
        Assert.Contains("\"a while\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("crossmargin.cluster.inbox.retention", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_inbox_retention_in_hocon_should_be_refused_naming_the_key_the_value_and_where_it_is()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.ParseString("crossmargin.cluster.inbox.retention = 0s"), NoEnvironment));

        Assert.Equal("crossmargin.cluster.inbox.retention", e.Source);
        Assert.Contains("crossmargin.cluster.inbox.retention = \"0s\"", e.Message, StringComparison.Ordinal);
        Assert.Contains("at string:1:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_zero_inbox_retention_from_the_variable_should_say_which_variable_set_it()
    {
        var e = Assert.Throws<ClusterConfigurationException>(() => ClusterSettings.FromConfig(ConfigurationFactory.Empty, new Dictionary<string, string> { ["CROSSMARGIN_CLUSTER_INBOX_RETENTION"] = "0s" }));

        Assert.Contains("set by environment variable CROSSMARGIN_CLUSTER_INBOX_RETENTION", e.Message, StringComparison.Ordinal);
    }
}
