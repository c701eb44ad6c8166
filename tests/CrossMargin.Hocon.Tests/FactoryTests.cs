using CrossMargin.Hocon.Tests.Support;

namespace CrossMargin.Hocon.Tests;

public sealed class FactoryTests
{
    [Fact]
    public void Default_should_return_the_embedded_reference_conf_resolved()
    {
        var config = ConfigurationFactory.Default();
        Assert.True(config.HasPath("crossmargin"));
        Assert.Same(config, ConfigurationFactory.Default());
    }

    [Fact]
    public void Default_should_match_the_repository_reference_conf_file()
    {
        var file = Path.Combine(RepositoryPaths.Root(), "hocon", "reference.conf");
        var fromFile = ConfigurationFactory.ParseFile(file);
        Assert.Null(TreeComparer.FirstDifference(fromFile.Root, ConfigurationFactory.Default().Root));
    }

    [Fact]
    public void Empty_should_have_no_keys()
    {
        Assert.True(ConfigurationFactory.Empty.IsEmpty);
        Assert.False(ConfigurationFactory.Empty.HasPath("a"));
    }

    [Fact]
    public void Load_should_layer_environment_over_application_file_over_reference()
    {
        using var folder = new TempFolder();
        var app = folder.Write("app.conf", """
            crossmargin.hocon-test {
              from-app = app
              overridden = app
              list = [1]
            }
            """);
        var environment = new Dictionary<string, string>
        {
            ["CROSSMARGIN__hocon_test__overridden"] = "env",
            ["CROSSMARGIN__HOCON_TEST__NUMBER"] = "5000",
            ["crossmargin__hocon_test__list"] = "[1, 2, 3]",
            ["CROSSMARGIN__hocon_test__nested__deep_key"] = "on",
            ["UNRELATED"] = "x",
        };
        var config = ConfigurationFactory.Load(app, environment);
        Assert.Equal("app", config.GetString("crossmargin.hocon-test.from-app"));
        Assert.Equal("env", config.GetString("crossmargin.hocon-test.overridden"));
        Assert.Equal(5000, config.GetInt("crossmargin.hocon-test.number"));
        Assert.Equal([1, 2, 3], config.GetIntList("crossmargin.hocon-test.list"));
        Assert.True(config.GetBoolean("crossmargin.hocon-test.nested.deep-key"));
        Assert.False(config.HasPath("unrelated"));
        Assert.True(config.HasPath("crossmargin.actor") || config.HasPath("crossmargin"));
    }

    [Fact]
    public void Load_should_resolve_the_application_file_against_reference_and_the_given_environment()
    {
        using var folder = new TempFolder();
        var app = folder.Write("app.conf", "crossmargin.hocon-test { copied = ${crossmargin.hocon-test.base}, base = 1, secret = ${DB_PASSWORD} }");
        var config = ConfigurationFactory.Load(app, new Dictionary<string, string> { ["DB_PASSWORD"] = "s3cret" });
        Assert.Equal(1, config.GetInt("crossmargin.hocon-test.copied"));
        Assert.Equal("s3cret", config.GetString("crossmargin.hocon-test.secret"));
    }

    [Fact]
    public void Load_without_an_application_file_should_equal_reference_plus_environment()
    {
        var config = ConfigurationFactory.Load(null, new Dictionary<string, string> { ["CROSSMARGIN__x"] = "1" });
        Assert.Equal(1, config.GetInt("crossmargin.x"));
    }

    [Fact]
    public void An_unparsable_environment_value_should_name_the_variable()
    {
        var error = Assert.Throws<HoconParseException>(() =>
            ConfigurationFactory.Load(null, new Dictionary<string, string> { ["CROSSMARGIN__bad"] = "[1," }));
        Assert.Contains("environment variable CROSSMARGIN__bad:1:", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("CROSSMARGIN__persistence__batch_size", "crossmargin.persistence.batch-size")]
    [InlineData("CROSSMARGIN__ENGINE__LIQUIDATION__MAX_IN_FLIGHT", "crossmargin.engine.liquidation.max-in-flight")]
    [InlineData("crossmargin__a", "crossmargin.a")]
    [InlineData("CROSSMARGIN_persistence", null)]
    [InlineData("CROSSMARGIN__", null)]
    [InlineData("CROSSMARGIN__a____b", null)]
    [InlineData("PATH", null)]
    public void The_environment_convention_should_map_names_to_paths(string name, string? path)
    {
        Assert.Equal(path, EnvironmentOverrides.PathFor(name));
    }

    [Fact]
    public void Verbatim_environment_values_should_keep_text_that_hocon_would_misread()
    {
        var overrides = EnvironmentOverrides.FromEnvironment([
            new("CROSSMARGIN__url", "http://host:5432/db"),
            new("CROSSMARGIN__quoted", "\"a b\""),
        ]);
        Assert.Equal("http://host:5432/db", overrides.GetString("crossmargin.url"));
        Assert.Equal("a b", overrides.GetString("crossmargin.quoted"));
    }
}
