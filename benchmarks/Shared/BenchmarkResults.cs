using System.Text;

namespace CrossMargin.Benchmarks.Shared;

/// <summary>
/// Where a suite's results go — <c>benchmarks/results/&lt;suite&gt;</c> under the repository root (the folder holding
/// CrossMarginActors.sln), or the folder given with <c>--results DIR</c>. One copy, linked into every benchmark project
/// by benchmarks/Directory.Build.props, so the four suites agree.
/// </summary>
public static class BenchmarkResults
{
    /// <summary>Takes <c>--results DIR</c> out of <paramref name="args"/> if present, else <see cref="Find"/>.</summary>
    public static string TakeFolder(List<string> args, string suite)
    {
        ArgumentNullException.ThrowIfNull(args);
        var i = args.IndexOf("--results");
        if (i < 0)
        {
            return Find(suite);
        }

        if (i + 1 >= args.Count)
        {
            throw new ArgumentException("--results needs a directory");
        }

        var path = Path.GetFullPath(args[i + 1]);
        args.RemoveRange(i, 2);
        return path;
    }

    /// <summary>Walks up from the working directory, then from the program's folder (usually under an artifacts path outside the repository).</summary>
    public static string Find(string suite)
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
                {
                    return Path.Combine(dir.FullName, "benchmarks", "results", suite);
                }
            }
        }

        throw new InvalidOperationException($"cannot find CrossMarginActors.sln above {Environment.CurrentDirectory}; run from inside the repository or pass --results DIR");
    }
}

/// <summary>Writes everything to two writers: the console and a copy that becomes the results file.</summary>
public sealed class TeeWriter(TextWriter first, TextWriter second) : TextWriter
{
    /// <inheritdoc />
    public override Encoding Encoding => first.Encoding;

    /// <inheritdoc />
    public override void Write(char value)
    {
        first.Write(value);
        second.Write(value);
    }

    /// <inheritdoc />
    public override void Write(string? value)
    {
        first.Write(value);
        second.Write(value);
    }

    /// <inheritdoc />
    public override void WriteLine(string? value)
    {
        first.WriteLine(value);
        second.WriteLine(value);
    }

    /// <inheritdoc />
    public override void Flush()
    {
        first.Flush();
        second.Flush();
    }
}
