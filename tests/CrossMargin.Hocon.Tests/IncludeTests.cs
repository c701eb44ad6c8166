using CrossMargin.Hocon.Tests.Support;

namespace CrossMargin.Hocon.Tests;

public sealed class IncludeTests
{
    [Fact]
    public void An_include_should_merge_into_the_object_that_contains_it_and_later_fields_should_win()
    {
        using var folder = new TempFolder();
        folder.Write("parts/db.conf", "host = db\nport = 1");
        var main = folder.Write("main.conf", "database {\n  port = 0\n  include \"parts/db.conf\"\n  user = app\n}\ndatabase.port = 2");
        var config = ConfigurationFactory.ParseFile(main);
        Assert.Equal("db", config.GetString("database.host"));
        Assert.Equal(2, config.GetInt("database.port"));
        Assert.Equal("app", config.GetString("database.user"));
    }

    [Fact]
    public void Include_file_and_required_forms_should_read_relative_to_the_including_file()
    {
        using var folder = new TempFolder();
        folder.Write("sub/a.conf", "a = 1\ninclude file(\"b.json\")");
        folder.Write("sub/b.json", "{ \"b\": 2 }");
        var main = folder.Write("main.conf", "include required(file(\"sub/a.conf\"))\ninclude required( \"sub/b.json\" )");
        var config = ConfigurationFactory.ParseFile(main);
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal(2, config.GetInt("b"));
    }

    [Fact]
    public void An_extension_less_include_should_merge_properties_json_and_conf_with_conf_winning()
    {
        using var folder = new TempFolder();
        folder.Write("x.properties", "v=props\np.only=true");
        folder.Write("x.json", "{ \"v\": \"json\", \"j\": 1 }");
        folder.Write("x.conf", "v = conf");
        var main = folder.Write("main.conf", "include \"x\"");
        var config = ConfigurationFactory.ParseFile(main);
        Assert.Equal("conf", config.GetString("v"));
        Assert.Equal(1, config.GetInt("j"));
        Assert.True(config.GetBoolean("p.only"));
    }

    [Fact]
    public void A_missing_include_should_be_ignored_but_a_missing_required_include_should_fail_with_its_position()
    {
        using var folder = new TempFolder();
        var lenient = folder.Write("lenient.conf", "include \"nope.conf\"\na = 1");
        Assert.Equal(1, ConfigurationFactory.ParseFile(lenient).GetInt("a"));

        var strict = folder.Write("strict.conf", "a = 1\ninclude required(\"nope.conf\")");
        var error = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseFile(strict));
        Assert.Contains($"{strict}:2:1", error.Message, StringComparison.Ordinal);
        Assert.Contains("nope.conf", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Include_url_should_fail_with_a_clear_not_supported_error()
    {
        var error = Assert.Throws<HoconParseException>(() =>
            ConfigurationFactory.ParseString("include url(\"http://example.com/a.conf\")", "u.conf"));
        Assert.Contains("not supported", error.Message, StringComparison.Ordinal);
        Assert.Contains("u.conf:1:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Substitutions_in_an_included_file_should_be_relative_to_where_it_is_included()
    {
        using var folder = new TempFolder();
        folder.Write("inner.conf", "x = 1\ny = ${x}");
        var main = folder.Write("main.conf", "outer { include \"inner.conf\" }");
        var config = ConfigurationFactory.ParseFile(main);
        Assert.Equal(1, config.GetInt("outer.y"));
    }

    [Fact]
    public void An_include_cycle_should_be_reported()
    {
        using var folder = new TempFolder();
        folder.Write("a.conf", "include \"b.conf\"");
        folder.Write("b.conf", "include \"a.conf\"");
        var error = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseFile(Path.Combine(folder.Path, "a.conf")));
        Assert.Contains("include cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains("b.conf:1:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_errors_in_an_included_file_should_name_that_file()
    {
        using var folder = new TempFolder();
        var bad = folder.Write("bad.conf", "ok = 1\nbroken = [1,\n");
        var main = folder.Write("main.conf", "include \"bad.conf\"");
        var error = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseFile(main));
        Assert.Contains($"{bad}:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_configuration_file_should_be_a_hocon_error_naming_it()
    {
        var error = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseFile("/nonexistent/app.conf"));
        Assert.Contains("/nonexistent/app.conf", error.Message, StringComparison.Ordinal);
    }
}
