namespace CrossMargin.Engine.Benchmarks;

/// <summary>Where this suite's results go: benchmarks/results/engine under the repository root (the folder holding CrossMarginActors.sln).</summary>
public static class ResultsPath
{
    /// <summary>Takes <c>--results DIR</c> out of <paramref name="args"/> if present, else <see cref="Find"/>.</summary>
    public static string FindOrArgument(List<string> args)
    {
        ArgumentNullException.ThrowIfNull(args);
        var i = args.IndexOf("--results");
        if (i < 0)
        {
            return Find();
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
    public static string Find()
    {
        foreach (var start in new[] { Environment.CurrentDirectory, AppContext.BaseDirectory })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
                {
                    return Path.Combine(dir.FullName, "benchmarks", "results", "engine");
                }
            }
        }

        throw new InvalidOperationException($"cannot find CrossMarginActors.sln above {Environment.CurrentDirectory}; run from inside the repository or pass --results DIR");
    }
}
