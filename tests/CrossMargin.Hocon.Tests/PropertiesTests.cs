using CrossMargin.Hocon.Tests.Support;

namespace CrossMargin.Hocon.Tests;

public sealed class PropertiesTests
{
    [Fact]
    public void Properties_files_should_give_string_values_at_dotted_paths()
    {
        using var folder = new TempFolder();
        var file = folder.Write("app.properties", """
            # comment
            ! another comment
            a.b=1
            a.c : two words
            d e
            long=first \
                 second
            """);
        var config = ConfigurationFactory.ParseFile(file);
        Assert.Equal(HoconScalarKind.String, ((HoconScalar)config.GetValue("a.b")!).Kind);
        Assert.Equal(1, config.GetInt("a.b"));
        Assert.Equal("two words", config.GetString("a.c"));
        Assert.Equal("e", config.GetString("d"));
        Assert.Equal("first second", config.GetString("long"));
    }

    [Fact]
    public void A_json_file_should_parse_as_hocon()
    {
        using var folder = new TempFolder();
        var file = folder.Write("x.json", "{\"a\": {\"b\": [1, 2.5, \"s\", false, null]}}");
        var config = ConfigurationFactory.ParseFile(file);
        Assert.Equal(5, ((HoconArray)config.GetValue("a.b")!).Count);
    }

    [Fact]
    public void Error_origins_should_use_the_file_path_and_count_lines_across_triple_quoted_strings()
    {
        using var folder = new TempFolder();
        var file = folder.Write("app.conf", "a = \"\"\"one\ntwo\nthree\"\"\"\nb = ${missing_in_test_xyz}");
        var error = Assert.Throws<HoconResolveException>(() => ConfigurationFactory.ParseFile(file));
        Assert.Equal(new HoconOrigin(file, 4, 5), error.Origin);
        Assert.Contains($"{file}:4:5", error.Message, StringComparison.Ordinal);
    }
}
