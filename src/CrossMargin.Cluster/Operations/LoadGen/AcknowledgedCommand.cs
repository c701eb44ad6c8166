using System.Globalization;

namespace CrossMargin.Cluster.Operations.LoadGen;

/// <summary>
/// A command the cluster acknowledged (its reply said applied): one line of the load generator's acknowledged file,
/// <c>COMMAND-ID KIND PERSISTENCE-ID KEY</c> — e.g. <c>6f1c… deposit account-17 1763781234000001</c> or
/// <c>0a9e… tick feed-BTCUSDT 1763781234567000</c>. KEY is the engine command id journaled with the event
/// (deposit, withdraw, trade) or the tick's time in microseconds (tick); together with the persistence id it names the
/// one journal event the command must have produced.
/// </summary>
/// <param name="CommandId">The inbox command id.</param>
/// <param name="Kind"><c>deposit</c>, <c>withdraw</c>, <c>trade</c> or <c>tick</c>.</param>
/// <param name="PersistenceId">The stream its event lands in (<c>account-17</c>, <c>feed-BTCUSDT</c>).</param>
/// <param name="Key">Engine command id, or tick time (µs).</param>
public sealed record AcknowledgedCommand(Guid CommandId, string Kind, string PersistenceId, long Key)
{
    /// <summary>The file line.</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{CommandId:D} {Kind} {PersistenceId} {Key}");

    /// <summary>Parses a line written by <see cref="ToString"/>.</summary>
    /// <exception cref="FormatException">The line is not four fields of the right types; the message names the line number.</exception>
    public static AcknowledgedCommand Parse(string line, int lineNumber)
    {
        ArgumentNullException.ThrowIfNull(line);
        var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (parts.Length != 4 || !Guid.TryParse(parts[0], out var id) || !long.TryParse(parts[3], NumberStyles.Integer, CultureInfo.InvariantCulture, out var key))
        {
            throw new FormatException($"acknowledged-commands line {lineNumber}: expected 'COMMAND-ID KIND PERSISTENCE-ID KEY', found '{line}'");
        }

        return new AcknowledgedCommand(id, parts[1], parts[2], key);
    }

    /// <summary>Reads a whole acknowledged file.</summary>
    public static IReadOnlyList<AcknowledgedCommand> ReadFile(string path) =>
        File.ReadAllLines(path).Select((l, i) => (l, i)).Where(x => x.l.Trim().Length > 0).Select(x => Parse(x.l, x.i + 1)).ToList();
}
