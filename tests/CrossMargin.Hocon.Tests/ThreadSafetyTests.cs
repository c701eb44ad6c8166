namespace CrossMargin.Hocon.Tests;

public sealed class ThreadSafetyTests
{
    [Fact]
    public void Concurrent_readers_of_one_config_should_all_see_the_same_values()
    {
        var config = ConfigurationFactory.ParseString("a { b = 1, c = [1, 2, 3], d = 10s }\ne = ${a.b}");
        var results = new int[64];
        Parallel.For(0, results.Length, i =>
        {
            var sub = config.GetConfig("a");
            results[i] = sub.GetInt("b") + config.GetIntList("a.c").Sum() + (int)config.GetTimeSpan("a.d").TotalSeconds + config.GetInt("e")
                + ConfigurationFactory.Default().GetKeys().Count;
        });
        Assert.All(results, r => Assert.Equal(results[0], r));
        Assert.Equal(1 + 6 + 10 + 1 + ConfigurationFactory.Default().GetKeys().Count, results[0]);
    }
}
