using CrossMargin.Engine.Reporting;

namespace CrossMargin.Engine.Tests.Reporting;

public sealed class JournalTargetTests
{
    [Theory]
    [InlineData("sqlite:./data/crash.db", JournalKind.Sqlite, "./data/crash.db")]
    [InlineData("postgres:Host=db;Username=u;Password=p", JournalKind.Postgres, "Host=db;Username=u;Password=p")]
    [InlineData("inmem", JournalKind.InMemory, "")]
    public void Parse_should_accept_the_three_forms(string text, JournalKind kind, string location)
    {
        Assert.True(JournalTarget.TryParse(text, out var target, out var error), error);
        Assert.Equal(new JournalTarget(kind, location), target);
    }

    [Theory]
    [InlineData("", "is empty")]
    [InlineData("sqlite:", "no valid file path")]
    [InlineData("postgres:", "no connection string")]
    [InlineData("mysql:x", "is not a journal")]
    [InlineData("./data/crash.db", "is not a journal")]
    public void Parse_should_refuse_anything_else_saying_what_is_accepted(string text, string expected)
    {
        Assert.False(JournalTarget.TryParse(text, out _, out var error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_should_mask_a_postgres_password()
    {
        var target = new JournalTarget(JournalKind.Postgres, "Host=db;Password=secret;Username=u");

        Assert.Equal("postgres:Host=db;Password=***;Username=u", target.ToString());
    }

    [Fact]
    public void Run_suffix_should_go_before_the_extension_of_sqlite_files_and_leave_inmem_alone()
    {
        Assert.Equal("sqlite:./data/crash-cross.db", new JournalTarget(JournalKind.Sqlite, "./data/crash.db").WithRunSuffix("cross").ToString());
        Assert.Equal(JournalTarget.InMemory, JournalTarget.InMemory.WithRunSuffix("cross"));
    }

    [Theory]
    [InlineData("Host=db;Username=u", "cross", "crossmargin_cross")]
    [InlineData("Host=db;Username=u;Search Path=runs", "isolated", "runs_isolated")]
    [InlineData("Host=db;Username=u;Search Path=Runs,public", "whatif-1A2b", "runs_whatif_1a2b")]
    public void Run_suffix_should_give_a_postgres_journal_its_own_schema(string connection, string suffix, string schema)
    {
        var target = new JournalTarget(JournalKind.Postgres, connection).WithRunSuffix(suffix);

        Assert.Equal(JournalKind.Postgres, target.Kind);
        Assert.Equal(schema, new Npgsql.NpgsqlConnectionStringBuilder(target.Location).SearchPath);
        Assert.Equal("db", new Npgsql.NpgsqlConnectionStringBuilder(target.Location).Host);
        Assert.NotEqual(target, new JournalTarget(JournalKind.Postgres, connection).WithRunSuffix(suffix == "cross" ? "isolated" : "cross"));
    }

    [Theory]
    [InlineData("42", 42L, null)]
    [InlineData("2025-10-10T21:15:00Z", null, "2025-10-10T21:15:00+00:00")]
    [InlineData("2025-10-10T21:15:00", null, "2025-10-10T21:15:00+00:00")]
    public void Replay_point_should_parse_a_sequence_number_or_a_time(string text, long? ordering, string? time)
    {
        Assert.True(ReplayPoint.TryParse(text, out var point));
        Assert.Equal(ordering, point!.Ordering);
        Assert.Equal(time is null ? null : DateTimeOffset.Parse(time, System.Globalization.CultureInfo.InvariantCulture), point.Time);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("yesterday")]
    [InlineData("2025-10-10")]
    public void Replay_point_should_refuse_other_text(string text)
    {
        Assert.False(ReplayPoint.TryParse(text, out _));
    }
}
