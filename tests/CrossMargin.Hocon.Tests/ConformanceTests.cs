using CrossMargin.Hocon.Tests.Support;
using Xunit.Abstractions;

namespace CrossMargin.Hocon.Tests;

/// <summary>
/// The lightbend/config equivalence suite, read from ../shared/conformance/hocon-equiv (see its ORIGIN.md):
/// every top-level .conf/.json of each equivNN folder must resolve, with the environment fallback off, to the
/// same tree as that folder's original.json.
/// </summary>
public sealed class ConformanceTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_equivalence_file_should_resolve_to_the_tree_of_its_original_json()
    {
        var root = RepositoryPaths.HoconEquivalenceFixtures();
        var folders = Directory.GetDirectories(root, "equiv*").Order(StringComparer.Ordinal).ToList();
        Assert.True(folders.Count >= 5, $"expected equiv01..equiv05 under {root}, found {folders.Count} folders");

        var failures = new List<string>();
        var checkedFiles = 0;
        foreach (var folder in folders)
        {
            var original = ConfigurationFactory.ParseFile(Path.Combine(folder, "original.json"), useEnvironment: false);
            var candidates = Directory.GetFiles(folder)
                .Where(f => f.EndsWith(".conf", StringComparison.Ordinal) || f.EndsWith(".json", StringComparison.Ordinal))
                .Where(f => Path.GetFileName(f) != "original.json")
                .Order(StringComparer.Ordinal);
            foreach (var file in candidates)
            {
                checkedFiles++;
                var name = $"{Path.GetFileName(folder)}/{Path.GetFileName(file)}";
                try
                {
                    var actual = ConfigurationFactory.ParseFile(file, useEnvironment: false);
                    var difference = TreeComparer.FirstDifference(original.Root, actual.Root);
                    if (difference is not null)
                    {
                        failures.Add($"{name}: {difference}");
                    }
                    else
                    {
                        output.WriteLine($"ok   {name}");
                    }
                }
                catch (HoconException e)
                {
                    failures.Add($"{name}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        output.WriteLine($"checked {checkedFiles} files in {folders.Count} folders; {failures.Count} failed");
        Assert.True(checkedFiles >= 15, $"expected at least 15 equivalence files, found {checkedFiles}");
        Assert.True(failures.Count == 0, string.Join(Environment.NewLine, failures));
    }
}
