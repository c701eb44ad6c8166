using System.Globalization;
using CrossMargin.Hocon.Tests.Support;

namespace CrossMargin.Hocon.Tests;

public sealed class RenderingTests
{
    [Fact]
    public void Rendering_should_produce_json_that_parses_back_to_the_same_tree()
    {
        var config = ConfigurationFactory.ParseString("""
            a { b = 1, c = [1, 2.5, "x y", true, null, { d = "q\"uote\\" }] }
            "odd key.with dot" = "\t tab"
            empty { }
            list = []
            """);
        var reparsed = ConfigurationFactory.ParseString(config.ToString(), "rendered");
        Assert.Null(TreeComparer.FirstDifference(config.Root, reparsed.Root));
    }

    [Fact]
    public void Rendering_with_origins_should_still_parse_as_hocon()
    {
        var config = ConfigurationFactory.ParseString("a { b = 1 }", "app.conf");
        var text = config.Render(withOrigins: true);
        Assert.Contains("// app.conf:1:9", text, StringComparison.Ordinal);
        Assert.Equal(1, ConfigurationFactory.ParseString(text).GetInt("a.b"));
    }

    [Fact]
    public void Random_trees_should_survive_a_render_and_parse_round_trip()
    {
        // Property-style: 200 seeded random trees, so a failure is reproducible from its seed.
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var tree = RandomObject(random, depth: 0);
            var text = HoconRenderer.Render(tree);
            var parsed = ConfigurationFactory.ParseString(text, $"seed-{seed}");
            var difference = TreeComparer.FirstDifference(tree, parsed.Root);
            Assert.True(difference is null, $"seed {seed}: {difference}\n{text}");
        }
    }

    private static readonly HoconOrigin Origin = new("generated", 1, 1);
    private const string KeyAlphabet = "abcXYZ09-_ .\"\\$#{}";

    private static HoconObject RandomObject(Random random, int depth)
    {
        var count = random.Next(0, 5);
        var fields = new List<KeyValuePair<string, HoconValue>>();
        for (var i = 0; i < count; i++)
        {
            var key = new string(Enumerable.Range(0, random.Next(0, 6)).Select(_ => KeyAlphabet[random.Next(KeyAlphabet.Length)]).ToArray());
            fields.Add(new(key, RandomValue(random, depth + 1)));
        }

        return new HoconObject(fields, Origin);
    }

    private static HoconValue RandomValue(Random random, int depth)
    {
        var choice = random.Next(depth > 3 ? 4 : 6);
        return choice switch
        {
            0 => new HoconScalar(HoconScalarKind.String, RandomText(random), Origin),
            1 => new HoconScalar(HoconScalarKind.Number, RandomNumber(random), Origin),
            2 => new HoconScalar(HoconScalarKind.Boolean, random.Next(2) == 0 ? "true" : "false", Origin),
            3 => new HoconScalar(HoconScalarKind.Null, "null", Origin),
            4 => new HoconArray(Enumerable.Range(0, random.Next(0, 4)).Select(_ => RandomValue(random, depth + 1)).ToList(), Origin),
            _ => RandomObject(random, depth),
        };
    }

    private static string RandomText(Random random)
    {
        const string alphabet = "ab ${}[]:=,#//\"\\\n\t\u00e9\u20ac";
        return new string(Enumerable.Range(0, random.Next(0, 10)).Select(_ => alphabet[random.Next(alphabet.Length)]).ToArray());
    }

    private static string RandomNumber(Random random) => random.Next(3) switch
    {
        0 => random.Next(-1000, 1000).ToString(CultureInfo.InvariantCulture),
        1 => (random.Next(-100000, 100000) / 1000m).ToString("0.000", CultureInfo.InvariantCulture),
        _ => random.NextInt64().ToString(CultureInfo.InvariantCulture),
    };
}
