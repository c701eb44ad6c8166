namespace CrossMargin.Engine.Reporting;

/// <summary>Which journal backend a run reads or writes.</summary>
public enum JournalKind
{
    /// <summary>Embedded SQLite file; <see cref="JournalTarget.Location"/> is the file path.</summary>
    Sqlite = 0,

    /// <summary>PostgreSQL; <see cref="JournalTarget.Location"/> is an Npgsql connection string.</summary>
    Postgres = 1,

    /// <summary>In memory, gone when the process ends; <see cref="JournalTarget.Location"/> is empty.</summary>
    InMemory = 2,
}

/// <summary>
/// A journal location as typed on the command line: <c>sqlite:PATH</c>, <c>postgres:CONNECTION-STRING</c> or <c>inmem</c>.
/// </summary>
/// <param name="Kind">The backend.</param>
/// <param name="Location">SQLite file path or PostgreSQL connection string; empty for in-memory.</param>
public sealed record JournalTarget(JournalKind Kind, string Location)
{
    /// <summary>The accepted forms, for error messages and help.</summary>
    public const string AcceptedForms = "sqlite:PATH, postgres:CONNECTION-STRING or inmem";

    /// <summary>The in-memory journal.</summary>
    public static JournalTarget InMemory { get; } = new(JournalKind.InMemory, "");

    /// <summary>Parses the command-line form; on failure <paramref name="error"/> says what is wrong (without the option name).</summary>
    public static bool TryParse(string? text, out JournalTarget? target, out string? error)
    {
        target = null;
        error = null;
        text = text?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            error = $"is empty; expected {AcceptedForms}";
            return false;
        }

        if (text is "inmem" or "inmem:")
        {
            target = InMemory;
            return true;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var scheme = colon < 0 ? text : text[..colon];
        var rest = colon < 0 ? "" : text[(colon + 1)..].Trim();
        switch (scheme)
        {
            case "sqlite" when rest.Length > 0 && rest.IndexOfAny(Path.GetInvalidPathChars()) < 0:
                target = new JournalTarget(JournalKind.Sqlite, rest);
                return true;
            case "sqlite":
                error = $"'{text}' has no valid file path after 'sqlite:'; expected e.g. sqlite:./data/crash.db";
                return false;
            case "postgres" when rest.Length > 0:
                target = new JournalTarget(JournalKind.Postgres, rest);
                return true;
            case "postgres":
                error = $"'{text}' has no connection string after 'postgres:'; expected e.g. postgres:Host=localhost;Username=crossmargin;Database=crossmargin";
                return false;
            default:
                error = $"'{text}' is not a journal; expected {AcceptedForms}";
                return false;
        }
    }

    /// <summary>Schema that <see cref="WithRunSuffix"/> suffixes when a PostgreSQL connection string names no search path.</summary>
    public const string DefaultPostgresSchema = "crossmargin";

    /// <summary>
    /// The journal of a sibling run, kept apart from this one by <paramref name="suffix"/>: SQLite gets the suffix in its
    /// file name, before the extension (<c>crash.db</c> → <c>crash-cross.db</c>); PostgreSQL gets its own schema, the
    /// connection's first search-path schema (or <see cref="DefaultPostgresSchema"/>) with <c>_</c> and the suffix,
    /// lower-cased, other characters than letters, digits and <c>_</c> turned into <c>_</c>
    /// (<c>Search Path=crossmargin_cross</c>); in-memory is unchanged.
    /// </summary>
    /// <remarks>
    /// Used by <c>simulate --compare-modes</c> (one journal per margin mode) and <c>what-if</c>'s default <c>--into</c>. A
    /// journal holds one run, so sibling runs need their own SQLite file or PostgreSQL schema (the schema is created when
    /// the run starts).
    /// </remarks>
    public JournalTarget WithRunSuffix(string suffix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(suffix);
        switch (Kind)
        {
            case JournalKind.Sqlite:
                var ext = Path.GetExtension(Location);
                var stem = ext.Length == 0 ? Location : Location[..^ext.Length];
                return this with { Location = $"{stem}-{suffix}{ext}" };
            case JournalKind.Postgres:
                var builder = new Npgsql.NpgsqlConnectionStringBuilder(Location);
                var first = string.IsNullOrWhiteSpace(builder.SearchPath) ? DefaultPostgresSchema : builder.SearchPath.Split(',')[0].Trim().Trim('"');
                var name = new string($"{first}_{suffix}".ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_').ToArray());
                builder.SearchPath = name.Length > 63 ? name[..63] : name; // PostgreSQL identifiers hold 63 bytes
                return this with { Location = builder.ConnectionString };
            default:
                return this;
        }
    }

    /// <summary>The command-line form; a PostgreSQL password is masked so the text can be logged and written to reports.</summary>
    public override string ToString() => Kind switch
    {
        JournalKind.Sqlite => $"sqlite:{Location}",
        JournalKind.Postgres => $"postgres:{MaskPassword(Location)}",
        _ => "inmem",
    };

    private static string MaskPassword(string connection) =>
        string.Join(';', connection.Split(';').Select(part =>
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? part : part[..eq].Trim();
            return key.Equals("password", StringComparison.OrdinalIgnoreCase) || key.Equals("pwd", StringComparison.OrdinalIgnoreCase)
                ? $"{part[..eq]}=***"
                : part;
        }));
}
