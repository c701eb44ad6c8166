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

    /// <summary>The same journal with <paramref name="suffix"/> added to the SQLite file name (before its extension); other kinds unchanged.</summary>
    /// <remarks>Used to keep the runs of <c>--compare-modes</c> in separate SQLite files. PostgreSQL runs share a database and are kept apart by <see cref="SimulationRequest.RunId"/>.</remarks>
    public JournalTarget WithFileSuffix(string suffix)
    {
        if (Kind != JournalKind.Sqlite) return this;
        var ext = Path.GetExtension(Location);
        var stem = ext.Length == 0 ? Location : Location[..^ext.Length];
        return this with { Location = $"{stem}-{suffix}{ext}" };
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
