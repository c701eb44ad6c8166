namespace CrossMargin.Hocon.Tests;

public sealed class GetterTests
{
    private static readonly Config Sample = ConfigurationFactory.ParseString("""
        crossmargin {
          persistence {
            batch-size = 5000
            name = journal
            ratio = 0.1
            price = 12345.678901234567890123
            big = 9007199254740993
            flags { a = on, b = off, c = yes, d = no, e = true, f = "false" }
            timeouts { a = 10s, b = 100 ms, c = 5 minutes, d = infinite, e = 250, f = 1.5h, g = 2 days, h = 500ns }
            sizes { a = 64k, b = 10 MiB, c = 1GB, d = 512, e = 2 kB, f = 1.5 KiB }
            tags = [a, b, c]
            ids = [1, 2, 3]
            amounts = [0.1, 0.2]
            bad = abc
            nothing = null
          }
        }
        """, "app.conf");

    private static readonly Config Persistence = Sample.GetConfig("crossmargin.persistence");

    [Fact]
    public void Numeric_getters_should_read_numbers_and_numeric_strings()
    {
        Assert.Equal(5000, Persistence.GetInt("batch-size"));
        Assert.Equal(5000L, Persistence.GetLong("batch-size"));
        Assert.Equal(0.1, Persistence.GetDouble("ratio"));
        Assert.Equal(9007199254740993L, Persistence.GetLong("big"));
    }

    [Fact]
    public void GetDecimal_should_be_exact_to_the_literal_text()
    {
        Assert.Equal(12345.678901234567890123m, Persistence.GetDecimal("price"));
        Assert.Equal(0.1m, Persistence.GetDecimal("ratio"));
        Assert.Equal([0.1m, 0.2m], Persistence.GetDecimalList("amounts"));
    }

    [Fact]
    public void GetBoolean_should_accept_true_false_on_off_yes_no()
    {
        Assert.True(Persistence.GetBoolean("flags.a"));
        Assert.False(Persistence.GetBoolean("flags.b"));
        Assert.True(Persistence.GetBoolean("flags.c"));
        Assert.False(Persistence.GetBoolean("flags.d"));
        Assert.True(Persistence.GetBoolean("flags.e"));
        Assert.False(Persistence.GetBoolean("flags.f"));
    }

    [Fact]
    public void GetTimeSpan_should_read_units_bare_milliseconds_and_infinite()
    {
        Assert.Equal(TimeSpan.FromSeconds(10), Persistence.GetTimeSpan("timeouts.a"));
        Assert.Equal(TimeSpan.FromMilliseconds(100), Persistence.GetTimeSpan("timeouts.b"));
        Assert.Equal(TimeSpan.FromMinutes(5), Persistence.GetTimeSpan("timeouts.c"));
        Assert.Equal(Timeout.InfiniteTimeSpan, Persistence.GetTimeSpan("timeouts.d"));
        Assert.Equal(TimeSpan.FromMilliseconds(250), Persistence.GetTimeSpan("timeouts.e"));
        Assert.Equal(TimeSpan.FromMinutes(90), Persistence.GetTimeSpan("timeouts.f"));
        Assert.Equal(TimeSpan.FromDays(2), Persistence.GetTimeSpan("timeouts.g"));
        Assert.Equal(TimeSpan.FromTicks(5), Persistence.GetTimeSpan("timeouts.h"));
    }

    [Fact]
    public void GetTimeSpan_should_reject_infinite_when_not_allowed()
    {
        var error = Assert.Throws<ConfigurationException>(() => Persistence.GetTimeSpan("timeouts.d", allowInfinite: false));
        Assert.Contains("crossmargin.persistence.timeouts.d", error.Message, StringComparison.Ordinal);
        Assert.Contains("infinite", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GetByteSize_should_read_powers_of_two_and_ten()
    {
        Assert.Equal(65536L, Persistence.GetByteSize("sizes.a"));
        Assert.Equal(10L * 1024 * 1024, Persistence.GetByteSize("sizes.b"));
        Assert.Equal(1_000_000_000L, Persistence.GetByteSize("sizes.c"));
        Assert.Equal(512L, Persistence.GetByteSize("sizes.d"));
        Assert.Equal(2000L, Persistence.GetByteSize("sizes.e"));
        Assert.Equal(1536L, Persistence.GetByteSize("sizes.f"));
        Assert.Null(Persistence.GetByteSize("sizes.none"));
        Assert.Equal(7L, Persistence.GetByteSize("sizes.none", 7L));
    }

    [Fact]
    public void List_getters_should_read_arrays()
    {
        Assert.Equal(["a", "b", "c"], Persistence.GetStringList("tags"));
        Assert.Equal([1, 2, 3], Persistence.GetIntList("ids"));
        Assert.Equal([1L, 2L, 3L], Persistence.GetLongList("ids"));
        Assert.Equal(["x"], Persistence.GetStringList("missing", ["x"]));
    }

    [Fact]
    public void Every_getter_should_return_its_default_when_the_path_is_absent_or_null()
    {
        Assert.Equal("d", Persistence.GetString("missing", "d"));
        Assert.Null(Persistence.GetString("nothing", null));
        Assert.Equal(7, Persistence.GetInt("missing", 7));
        Assert.Equal(7L, Persistence.GetLong("nothing", 7L));
        Assert.Equal(0.5, Persistence.GetDouble("missing", 0.5));
        Assert.Equal(1.25m, Persistence.GetDecimal("missing", 1.25m));
        Assert.True(Persistence.GetBoolean("missing", true));
        Assert.Equal(TimeSpan.FromSeconds(3), Persistence.GetTimeSpan("missing", TimeSpan.FromSeconds(3)));
        Assert.Equal(5000, Persistence.GetInt("batch-size", 7));
    }

    [Fact]
    public void A_missing_key_should_name_the_full_path_even_from_a_sub_config()
    {
        var error = Assert.Throws<ConfigurationException>(() => Persistence.GetInt("batch-limit"));
        Assert.Equal("crossmargin.persistence.batch-limit is missing", error.Message);
        Assert.Equal("crossmargin.persistence.batch-limit", error.Path);
        Assert.Throws<ConfigurationException>(() => Persistence.GetString("nothing"));
    }

    [Fact]
    public void A_wrong_type_should_name_path_value_and_origin()
    {
        var error = Assert.Throws<ConfigurationException>(() => Persistence.GetInt("bad"));
        Assert.Equal("crossmargin.persistence.bad: expected a 32-bit integer but found string 'abc' at app.conf:14:11", error.Message);
        Assert.Equal(new HoconOrigin("app.conf", 14, 11), error.Origin);

        var objectError = Assert.Throws<ConfigurationException>(() => Persistence.GetString("flags"));
        Assert.Equal("crossmargin.persistence.flags: expected a string but found object at app.conf:8:5", objectError.Message);

        var sizeError = Assert.Throws<ConfigurationException>(() => Persistence.GetByteSize("name"));
        Assert.Equal("crossmargin.persistence.name: expected a size in bytes but found string 'journal' at app.conf:4:12 (expected a number followed by an optional size unit)", sizeError.Message);

        var listError = Assert.Throws<ConfigurationException>(() => Persistence.GetIntList("tags"));
        Assert.Contains("crossmargin.persistence.tags.0", listError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Overflowing_an_int_should_be_a_type_error_not_a_wrapped_value()
    {
        var error = Assert.Throws<ConfigurationException>(() => Persistence.GetInt("big"));
        Assert.Contains("9007199254740993", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HasPath_GetKeys_and_enumeration_should_describe_the_tree()
    {
        Assert.True(Sample.HasPath("crossmargin.persistence.batch-size"));
        Assert.False(Sample.HasPath("crossmargin.persistence.nothing"));
        Assert.False(Sample.HasPath("crossmargin.nope.deeper"));
        Assert.Equal(["a", "b", "c", "d", "e", "f"], Persistence.GetKeys("flags"));
        Assert.Equal(["crossmargin"], Sample.AsEnumerable().Select(kv => kv.Key));
        Assert.Empty(Persistence.GetKeys("absent"));
        Assert.True(Persistence.GetConfig("absent").IsEmpty);
    }

    [Fact]
    public void GetConfigList_should_give_each_object_its_own_config()
    {
        var config = ConfigurationFactory.ParseString("items = [{ id = 1 }, { id = 2 }]");
        Assert.Equal([1, 2], config.GetConfigList("items").Select(c => c.GetInt("id")));
    }

    [Fact]
    public void WithFallback_should_let_this_config_win_and_merge_objects_deeply()
    {
        var app = ConfigurationFactory.ParseString("a { x = 1 }\nb = app");
        var reference = ConfigurationFactory.ParseString("a { x = 0, y = 2 }\nb = ref\nc = ref");
        var merged = app.WithFallback(reference);
        Assert.Equal(1, merged.GetInt("a.x"));
        Assert.Equal(2, merged.GetInt("a.y"));
        Assert.Equal("app", merged.GetString("b"));
        Assert.Equal("ref", merged.GetString("c"));
        Assert.Equal("ref", reference.GetString("b")); // inputs are untouched
    }

    [Fact]
    public void Quoted_path_elements_should_work_in_getters()
    {
        var config = ConfigurationFactory.ParseString("\"a.b\" { c = 1 }");
        Assert.Equal(1, config.GetInt("\"a.b\".c"));
        Assert.False(config.HasPath("a.b.c"));
    }
}
