using System.Runtime.CompilerServices;

namespace CrossMargin.Engine.Tests.Feeds;

/// <summary>
/// Locates the real market data in ../shared/data (relative to the repository root, the folder holding
/// CrossMarginActors.sln). The root is found by walking up from the test binaries, then from the current directory,
/// then from this source file (builds with --artifacts-path put the binaries outside the repository).
/// Tests that need the data fail with a clear message when it is absent; they never skip silently.
/// </summary>
internal static class SharedData
{
    public static string File(string relativePath)
    {
        string root = RepositoryRoot();
        string path = Path.GetFullPath(Path.Combine(root, "..", "shared", "data", relativePath));
        if (!System.IO.File.Exists(path))
        {
            Assert.Fail($"Real market data file is missing: {path}. These tests read ../shared/data next to the repository root ({root}); see its README.md.");
        }

        return path;
    }

    public static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (DirectoryInfo? dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (System.IO.File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        Assert.Fail("Cannot find the repository root (a folder holding CrossMarginActors.sln) above the test binaries, the current directory or the test sources.");
        return string.Empty;
    }
}
