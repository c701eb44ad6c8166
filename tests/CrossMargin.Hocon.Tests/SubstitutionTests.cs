namespace CrossMargin.Hocon.Tests;

public sealed class SubstitutionTests
{
    private static Config Parse(string text) => ConfigurationFactory.ParseString(text, "test.conf");

    [Fact]
    public void Substitutions_should_see_the_final_value_and_may_look_forward()
    {
        var config = Parse("a = ${b}\nb = 1\nb = 2\nc = ${d.e}\nd { e = x }");
        Assert.Equal(2, config.GetInt("a"));
        Assert.Equal("x", config.GetString("c"));
    }

    [Fact]
    public void Substitutions_should_keep_the_kind_of_the_value_they_copy()
    {
        var config = Parse("a { x = 1 }\nb = ${a}\nc = [1, 2]\nd = ${c}");
        Assert.Equal(1, config.GetInt("b.x"));
        Assert.Equal([1, 2], config.GetIntList("d"));
    }

    [Fact]
    public void Substitutions_in_string_concatenation_should_join_text()
    {
        var config = Parse("host = localhost\nport = 5432\nurl = \"tcp://\"${host}\":\"${port}/db");
        Assert.Equal("tcp://localhost:5432/db", config.GetString("url"));
    }

    [Fact]
    public void A_substitution_may_point_into_the_object_that_contains_it()
    {
        var config = Parse("bar { foo = 42, baz = ${bar.foo} }");
        Assert.Equal(42, config.GetInt("bar.baz"));
    }

    [Fact]
    public void An_undefined_optional_substitution_should_leave_no_field_and_keep_a_previous_value()
    {
        var config = Parse("a = 1\na = ${?nowhere.at.all}\nb = ${?nowhere.at.all}\nc = [1, ${?nowhere.at.all}, 2]");
        Assert.Equal(1, config.GetInt("a"));
        Assert.False(config.HasPath("b"));
        Assert.Equal([1, 2], config.GetIntList("c"));
    }

    [Fact]
    public void An_undefined_substitution_should_be_an_error_naming_it_and_its_position()
    {
        var error = Assert.Throws<HoconResolveException>(() => Parse("a = 1\nb {\n  c = ${no.such.path_xyz}\n}"));
        Assert.Contains("${no.such.path_xyz}", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.conf:3:7", error.Message, StringComparison.Ordinal);
        Assert.Equal(new HoconOrigin("test.conf", 3, 7), error.Origin);
    }

    [Fact]
    public void A_substitution_absent_from_the_config_should_fall_back_to_the_environment()
    {
        var name = "CROSSMARGIN_HOCON_TEST_" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable(name, "from-env");
        try
        {
            var config = Parse($"a = ${{{name}}}\nb = ${{?{name}}}");
            Assert.Equal("from-env", config.GetString("a"));
            Assert.Equal("from-env", config.GetString("b"));
        }
        finally
        {
            Environment.SetEnvironmentVariable(name, null);
        }
    }

    [Fact]
    public void A_self_reference_should_extend_the_previous_value()
    {
        var config = Parse("""
            path = [a]
            path = ${path} [b]
            path = ${path} [c]
            s = x
            s = ${s}y
            o { a = 1 }
            o = ${o} { b = 2 }
            """);
        Assert.Equal(["a", "b", "c"], config.GetStringList("path"));
        Assert.Equal("xy", config.GetString("s"));
        Assert.Equal(1, config.GetInt("o.a"));
        Assert.Equal(2, config.GetInt("o.b"));
    }

    [Fact]
    public void A_self_reference_inside_a_nested_object_should_use_the_full_path()
    {
        var config = Parse("a { list = [1] }\na { list = ${a.list} [2] }");
        Assert.Equal([1, 2], config.GetIntList("a.list"));
    }

    [Fact]
    public void Plus_equals_should_append_and_create_the_array_when_absent()
    {
        var config = Parse("a = [1]\na += 2\nb += x\nb += y");
        Assert.Equal([1, 2], config.GetIntList("a"));
        Assert.Equal(["x", "y"], config.GetStringList("b"));
    }

    [Fact]
    public void A_self_reference_without_a_previous_value_should_be_an_error()
    {
        var error = Assert.Throws<HoconResolveException>(() => Parse("a = 1\nmissing_self_xyz = ${missing_self_xyz} [1]"));
        Assert.Contains("${missing_self_xyz}", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.conf:2:20", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_cycle_between_fields_should_be_reported_with_its_chain()
    {
        var error = Assert.Throws<HoconResolveException>(() => Parse("a = ${b}\nb = ${c}\nc = ${a}"));
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
        Assert.Contains("depends on itself", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.conf:1:5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_object_containing_a_substitution_of_itself_should_be_a_cycle()
    {
        var error = Assert.Throws<HoconResolveException>(() => Parse("a { b = ${a} }"));
        Assert.Contains("cycle", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_substitution_resolving_to_an_object_should_merge_with_an_object_written_after_it()
    {
        var config = Parse("defaults { x = 1, y = 1 }\nsettings = ${defaults}\nsettings { y = 2 }");
        Assert.Equal(1, config.GetInt("settings.x"));
        Assert.Equal(2, config.GetInt("settings.y"));
    }

    [Fact]
    public void An_object_written_before_a_substitution_should_merge_under_it()
    {
        var config = Parse("settings { z = 3, y = 1 }\nsettings = ${defaults}\ndefaults { x = 1, y = 2 }");
        Assert.Equal(3, config.GetInt("settings.z"));
        Assert.Equal(2, config.GetInt("settings.y"));
        Assert.Equal(1, config.GetInt("settings.x"));
    }

    [Fact]
    public void Concatenating_a_substituted_object_with_a_string_should_be_a_resolve_error()
    {
        var error = Assert.Throws<HoconResolveException>(() => Parse("o { a = 1 }\ns = ${o} text"));
        Assert.Contains("cannot concatenate", error.Message, StringComparison.Ordinal);
        Assert.Contains("test.conf:2:5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_self_reference_in_text_layered_over_a_fallback_should_see_the_fallback_value()
    {
        var fallback = ConfigurationFactory.ParseString("list = [1, 2]\nname = base", "fallback.conf");
        var config = ConfigurationFactory.ParseString("list = ${list} [3]\nname = ${name}-app\nlist2 = ${list}", "app.conf", fallback);
        Assert.Equal([1, 2, 3], config.GetIntList("list"));
        Assert.Equal("base-app", config.GetString("name"));
        Assert.Equal([1, 2, 3], config.GetIntList("list2"));
    }
}

public sealed class ErrorMessageTests
{
    [Fact]
    public void A_cycle_message_should_list_the_chain_with_positions()
    {
        var error = Assert.Throws<HoconResolveException>(() => ConfigurationFactory.ParseString("a = ${b}\nb = ${c}\nc = ${a}", "app.conf"));
        Assert.Equal(
            "cycle in substitutions: a (app.conf:1:5) -> b (app.conf:2:5) -> c (app.conf:3:5) -> a again; 'a' depends on itself",
            error.Message);
    }

    [Fact]
    public void An_unresolved_substitution_message_should_name_path_and_environment_fallback()
    {
        var error = Assert.Throws<HoconResolveException>(() => ConfigurationFactory.ParseString("db { host = ${db.hostname} }", "app.conf"));
        Assert.Equal(
            "could not resolve substitution ${db.hostname} at app.conf:1:13: no value at path 'db.hostname' and no environment variable 'db.hostname'",
            error.Message);
    }

    [Fact]
    public void Every_error_type_should_share_the_HoconException_base()
    {
        Assert.IsAssignableFrom<HoconException>(Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseString("a = [")));
        Assert.IsAssignableFrom<HoconException>(Assert.Throws<HoconResolveException>(() => ConfigurationFactory.ParseString("a = ${zz_missing_q}")));
        Assert.IsAssignableFrom<HoconException>(Assert.Throws<ConfigurationException>(() => ConfigurationFactory.Empty.GetInt("a")));
    }

    [Fact]
    public void A_default_source_name_should_be_used_when_none_is_given()
    {
        var error = Assert.Throws<HoconParseException>(() => ConfigurationFactory.ParseString("a = ]"));
        Assert.Equal("expected a value at string:1:5, found ']'", error.Message);
    }
}
