using System.Globalization;
using CrossMargin.Engine.Market;

namespace CrossMargin.Engine.Feeds;

/// <summary>
/// Historical replay of one CSV file (plain, Binance kline, Binance trades or Gemini trades; see
/// <see cref="TickFileFormat"/>). Blank lines are ignored; a header row is recognised by its first column name.
/// Every bad row throws a <see cref="TickFileException"/> naming file, line and field, unless
/// <see cref="TickFileOptions.SkipBadRows"/> is set, in which case it is skipped and counted. Rows must be in
/// non-decreasing time order within the file. Merge several files with <see cref="MergedTickSource"/>.
/// </summary>
/// <remarks>
/// The file is read lazily on each enumeration of <see cref="Ticks"/>; <see cref="SkippedRows"/>,
/// <see cref="TicksRead"/> and <see cref="SkippedErrors"/> describe the latest enumeration. Not thread-safe.
/// </remarks>
public sealed class TickFile : ITickSource
{
    private readonly List<TickFileException> _skippedErrors = [];

    /// <summary>Describes the file; nothing is read until <see cref="Ticks"/> is enumerated.</summary>
    public TickFile(string path, TickFileFormat format = TickFileFormat.Auto, TickFileOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        FilePath = path;
        Format = format;
        Options = options ?? TickFileOptions.Default;
    }

    /// <summary>Path of the file.</summary>
    public string FilePath { get; }

    /// <summary>The layout requested (<see cref="TickFileFormat.Auto"/> to detect).</summary>
    public TickFileFormat Format { get; }

    /// <summary>The layout used by the latest enumeration (after detection).</summary>
    public TickFileFormat DetectedFormat { get; private set; }

    /// <summary>Reading options.</summary>
    public TickFileOptions Options { get; }

    /// <summary>Rows skipped as bad in the latest enumeration (only with <see cref="TickFileOptions.SkipBadRows"/>).</summary>
    public long SkippedRows { get; private set; }

    /// <summary>Ticks emitted by the latest enumeration.</summary>
    public long TicksRead { get; private set; }

    /// <summary>The first <see cref="TickFileOptions.MaxRecordedErrors"/> errors of skipped rows, in file order.</summary>
    public IReadOnlyList<TickFileException> SkippedErrors => _skippedErrors;

    /// <inheritdoc />
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="TickFileException">A bad row (when not skipping), or a layout that cannot be detected.</exception>
    public IEnumerable<Tick> Ticks()
    {
        if (!File.Exists(FilePath))
        {
            throw new FileNotFoundException($"Tick file not found: {FilePath}", FilePath);
        }

        return Read();
    }

    private IEnumerable<Tick> Read()
    {
        SkippedRows = 0;
        TicksRead = 0;
        _skippedErrors.Clear();
        var parser = new RowParser(FilePath, Options);
        TickFileFormat format = Format;
        bool firstRow = true;
        DateTimeOffset? previous = null;
        long lineNumber = 0;
        using var reader = new StreamReader(FilePath);
        while (reader.ReadLine() is string line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (firstRow)
            {
                firstRow = false;
                format = format == TickFileFormat.Auto ? RowParser.Detect(FilePath, lineNumber, fields) : format;
                DetectedFormat = format;
                if (RowParser.IsHeader(format, fields))
                {
                    continue;
                }
            }

            TickFileException? error = parser.TryParse(format, fields, lineNumber, out Tick tick);
            if (error is null && previous is DateTimeOffset before && tick.Time < before)
            {
                error = new TickFileException(FilePath, lineNumber, RowParser.TimeField(format, Options), tick.Time.ToString("O", CultureInfo.InvariantCulture),
                    $"time goes backwards (previous row at {before:O})");
            }

            if (error is not null)
            {
                Skip(error);
                continue;
            }

            previous = tick.Time;
            TicksRead++;
            yield return tick;
        }
    }

    private void Skip(TickFileException error)
    {
        if (!Options.SkipBadRows)
        {
            throw error;
        }

        SkippedRows++;
        if (_skippedErrors.Count < Options.MaxRecordedErrors)
        {
            _skippedErrors.Add(error);
        }
    }
}
