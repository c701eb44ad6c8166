namespace CrossMargin.Hocon.Tests;

public sealed class SyntaxTests
{
    private static Config Parse(string text) => ConfigurationFactory.ParseString(text, "test.conf");

    [Fact]
    public void Hash_and_double_slash_comments_should_be_ignored_outside_quotes()
    {
        var config = Parse("""
            # a comment
            a = 1 // trailing
            b = "x // not a comment # nor this"
            c = some/path//'//' ends an unquoted string
            """);
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("x // not a comment # nor this", config.GetString("b"));
        Assert.Equal("some/path", config.GetString("c"));
    }

    [Fact]
    public void Root_braces_equals_and_colons_should_be_interchangeable()
    {
        var braced = Parse("{ a : 1, b = 2, c { d = 3 } }");
        var bare = Parse("a = 1\nb : 2\nc { d : 3 }");
        Assert.Equal(braced.ToString(), bare.ToString());
        Assert.Equal(3, bare.GetInt("c.d"));
    }

    [Fact]
    public void Newlines_should_replace_commas_and_one_trailing_comma_should_be_allowed()
    {
        var config = Parse("a = [1\n2,\n3,]\nb = 2,\n");
        Assert.Equal([1, 2, 3], config.GetIntList("a"));
        Assert.Equal(2, config.GetInt("b"));
    }

    [Fact]
    public void Two_commas_in_a_row_should_be_a_parse_error_naming_the_position()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a = [1,,2]"));
        Assert.Contains("test.conf:1:8", error.Message, StringComparison.Ordinal);
        Assert.Contains("found ','", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Unquoted_strings_should_concatenate_with_the_whitespace_between_them()
    {
        var config = Parse("a = null bar 42 \"baz\" true 3.14 hi   \nb = foo.bar-baz");
        Assert.Equal("null bar 42 baz true 3.14 hi", config.GetString("a"));
        Assert.Equal("foo.bar-baz", config.GetString("b"));
    }

    [Fact]
    public void Lone_tokens_should_keep_their_kind_number_boolean_null_or_string()
    {
        var config = Parse("n = 42.50\nb = true\nz = null\ns = 10s\nq = \"42\"");
        Assert.Equal(HoconScalarKind.Number, ((HoconScalar)config.GetValue("n")!).Kind);
        Assert.Equal("42.50", ((HoconScalar)config.GetValue("n")!).Text);
        Assert.Equal(HoconScalarKind.Boolean, ((HoconScalar)config.GetValue("b")!).Kind);
        Assert.False(config.HasPath("z"));
        Assert.Equal(HoconScalarKind.String, ((HoconScalar)config.GetValue("s")!).Kind);
        Assert.Equal(HoconScalarKind.String, ((HoconScalar)config.GetValue("q")!).Kind);
    }

    [Fact]
    public void Path_keys_should_expand_to_nested_objects_and_quoted_segments_may_hold_dots()
    {
        var config = Parse("a.b.c = 1\na.\"x.y\" = 2\n\"\".empty = 3");
        Assert.Equal(1, config.GetInt("a.b.c"));
        Assert.Equal(2, config.GetInt("a.\"x.y\""));
        Assert.Equal(["b", "x.y"], config.GetKeys("a"));
        Assert.Equal(3, config.GetInt("\"\".empty"));
    }

    [Fact]
    public void An_empty_unquoted_path_element_should_be_a_parse_error()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a..b = 1"));
        Assert.Contains("test.conf:1:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Duplicate_object_keys_should_merge_and_other_values_should_replace()
    {
        var config = Parse("""
            a { x = 1, y = 1 }
            a { y = 2, z = 2 }
            b { x = 1 }
            b = null
            b { y = 2 }
            c = [1, 2]
            c = [3]
            """);
        Assert.Equal(1, config.GetInt("a.x"));
        Assert.Equal(2, config.GetInt("a.y"));
        Assert.Equal(2, config.GetInt("a.z"));
        Assert.False(config.HasPath("b.x")); // null blocks the merge
        Assert.Equal(2, config.GetInt("b.y"));
        Assert.Equal([3], config.GetIntList("c"));
    }

    [Fact]
    public void Arrays_should_concatenate_and_objects_should_merge_when_written_side_by_side()
    {
        var config = Parse("a = [1, 2] [3]\nb = { x = 1 } { y = 2 }");
        Assert.Equal([1, 2, 3], config.GetIntList("a"));
        Assert.Equal(["x", "y"], config.GetKeys("b"));
    }

    [Fact]
    public void Concatenating_an_array_with_a_string_should_be_an_error_naming_the_position()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a = 1\nb = [1] foo"));
        Assert.Contains("test.conf:2:5", error.Message, StringComparison.Ordinal);
        Assert.Contains("cannot concatenate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Triple_quoted_strings_should_be_raw_and_may_span_lines()
    {
        var config = Parse("a = \"\"\"line1\n  \\n \"quoted\" \"\"\"\nb = 1");
        Assert.Equal("line1\n  \\n \"quoted\" ", config.GetString("a"));
        Assert.Equal(1, config.GetInt("b"));
    }

    [Fact]
    public void Json_escapes_in_quoted_strings_should_be_decoded()
    {
        var config = Parse("a = \"tab\\there \\u00e9 \\\"q\\\" \\\\\"");
        Assert.Equal("tab\there é \"q\" \\", config.GetString("a"));
    }

    [Fact]
    public void An_unterminated_string_should_report_where_it_started()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a = 1\nb = \"open\nc = 2"));
        Assert.Equal(new HoconOrigin("test.conf", 2, 5), error.Origin);
        Assert.Contains("test.conf:2:5", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stray_closing_bracket_should_report_expected_tokens_and_position()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a {\n  b = 1\n  ]\n}"));
        Assert.Equal("expected '}' or a key at test.conf:3:3, found ']'", error.Message);
    }

    [Fact]
    public void A_missing_closing_brace_should_name_the_opening_brace()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a {\n  b = 1\n"));
        Assert.Contains("to close the '{' at test.conf:1:3", error.Message, StringComparison.Ordinal);
        Assert.Contains("found end of input", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_without_separator_or_value_should_be_a_parse_error()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a = 1\nkey\n"));
        Assert.Equal("expected ':', '=' or '{' after the key 'key' at test.conf:3:1, found end of input", error.Message);
    }

    [Fact]
    public void Forbidden_characters_in_unquoted_text_should_be_reported()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("a = foo*bar"));
        Assert.Contains("test.conf:1:8", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_array_at_the_root_should_be_rejected()
    {
        var error = Assert.Throws<HoconParseException>(() => Parse("[1, 2]"));
        Assert.Contains("test.conf:1:1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Whitespace_inside_keys_should_be_kept_between_words()
    {
        var config = Parse("a b c = 1");
        Assert.Equal(1, config.GetInt("\"a b c\""));
    }

    [Fact]
    public void Numerically_indexed_objects_should_read_as_lists()
    {
        var config = Parse("a { 1 = y, 0 = x, 10 = z }");
        Assert.Equal(["x", "y", "z"], config.GetStringList("a"));
    }

    [Fact]
    public void Absurdly_deep_nesting_should_be_a_parse_error_not_a_stack_overflow()
    {
        var text = "a = " + new string('[', 100_000);
        var error = Assert.Throws<HoconParseException>(() => Parse(text));
        Assert.Contains("nested more than 256 deep at test.conf:1:261", error.Message, StringComparison.Ordinal);
    }
}
