namespace CrossMargin.Hocon.Tests;

public sealed class TokenizerTests
{
    [Fact]
    public void Tokens_should_carry_one_based_line_and_column_and_drop_comments()
    {
        var tokens = HoconTokenizer.Tokenize("a = 1 # c\n  b: [x]", "t.conf")
            .Where(t => t.Kind is not (HoconTokenKind.Whitespace or HoconTokenKind.Newline))
            .Select(t => $"{t.Kind}:{t.Text}@{t.Line}:{t.Column}")
            .ToList();
        Assert.Equal(
            ["Unquoted:a@1:1", "Equals:=@1:3", "Unquoted:1@1:5", "Unquoted:b@2:3", "Colon::@2:4",
             "OpenBracket:[@2:6", "Unquoted:x@2:7", "CloseBracket:]@2:8", "End:@2:9"],
            tokens);
    }

    [Fact]
    public void A_byte_order_mark_and_windows_line_endings_should_be_plain_whitespace()
    {
        var config = ConfigurationFactory.ParseString("\uFEFFa = 1\r\nb = two words\r\nc = \"x\"\r\n");
        Assert.Equal(1, config.GetInt("a"));
        Assert.Equal("two words", config.GetString("b"));
        Assert.Equal("x", config.GetString("c"));
    }

    [Fact]
    public void Substitution_tokens_should_record_optional_and_trimmed_path()
    {
        var token = HoconTokenizer.Tokenize("${? a.\"b c\" }", "t").First();
        Assert.Equal(HoconTokenKind.Substitution, token.Kind);
        Assert.True(token.Optional);
        Assert.Equal("a.\"b c\"", token.Text);
    }
}
