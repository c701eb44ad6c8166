namespace CrossMargin.Hocon.Tests;

/// <summary>Examples taken from the self-reference and merging sections of the HOCON specification.</summary>
public sealed class SpecExampleTests
{
    private static Config Parse(string text) => ConfigurationFactory.ParseString(text, "spec.conf");

    [Fact]
    public void A_string_self_reference_should_append_to_the_previous_string()
    {
        Assert.Equal("a:b:c:d", Parse("path : \"a:b:c\"\npath : ${path}\":d\"").GetString("path"));
    }

    [Fact]
    public void A_self_reference_into_a_child_of_the_previous_value_should_replace_the_field()
    {
        Assert.Equal(1, Parse("foo : { a : 1 }\nfoo : ${foo.a}").GetInt("foo"));
    }

    [Fact]
    public void A_later_object_should_change_what_an_earlier_substitution_sees()
    {
        Assert.Equal(43, Parse("bar : { foo : 42, baz : ${bar.foo} }\nbar : { foo : 43 }").GetInt("bar.baz"));
    }

    [Fact]
    public void An_optional_self_reference_alone_should_leave_no_field()
    {
        Assert.False(Parse("x = ${?x}").HasPath("x"));
    }

    [Fact]
    public void A_required_self_reference_alone_should_be_an_error()
    {
        var error = Assert.Throws<HoconResolveException>(() => Parse("spec_self_only = ${spec_self_only}"));
        Assert.Contains("spec.conf:1:18", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_self_reference_through_a_merge_should_see_the_merged_previous_object()
    {
        var config = Parse("a { x = 1 }\na { y = 2 }\na = ${a} { z = ${a.x} }");
        Assert.Equal(["x", "y", "z"], config.GetKeys("a"));
        Assert.Equal(1, config.GetInt("a.z"));
    }

    [Fact]
    public void Appending_in_a_nested_object_with_plus_equals_should_extend_the_inherited_list()
    {
        var fallback = Parse("crossmargin.engine.symbols = [BTC]");
        var config = ConfigurationFactory.ParseString("crossmargin { engine { symbols += ETH } }", "app.conf", fallback);
        Assert.Equal(["BTC", "ETH"], config.GetStringList("crossmargin.engine.symbols"));
    }

    [Fact]
    public void Plus_equals_on_a_non_array_should_be_a_resolve_error()
    {
        var error = Assert.Throws<HoconResolveException>(() => Parse("a = 1\na += 2"));
        Assert.Contains("cannot concatenate", error.Message, StringComparison.Ordinal);
    }
}
