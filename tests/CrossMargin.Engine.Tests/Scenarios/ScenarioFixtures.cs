using System.Runtime.CompilerServices;
using CrossMargin.Engine.Reporting;
using CrossMargin.Engine.Scenarios;
using CrossMargin.Hocon;
using CrossMargin.Risk.Events;
using CrossMargin.Risk.Margin;
using CrossMargin.Risk.Model;
using MarginMode = CrossMargin.Risk.Model.MarginMode;

namespace CrossMargin.Engine.Tests.Scenarios;

/// <summary>
/// The repository's scenarios and helpers to rebuild seeded accounts with the risk core. Builds with --artifacts-path
/// put the binaries outside the repository, so the scenario folder is found from this source file's location.
/// </summary>
internal static class ScenarioFixtures
{
    public static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        foreach (var start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory(), Path.GetDirectoryName(sourceFile) ?? "" })
        {
            for (var dir = string.IsNullOrEmpty(start) ? null : new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "CrossMarginActors.sln")))
                {
                    return dir.FullName;
                }
            }
        }

        Assert.Fail("Cannot find the repository root (a folder holding CrossMarginActors.sln).");
        return "";
    }

    public static ScenarioCatalog Catalog { get; } = ScenarioCatalog.FromFolder(Path.Combine(RepositoryRoot(), "hocon", "scenarios"));

    public static string SharedFile(string relative)
    {
        var path = Path.GetFullPath(Path.Combine(RepositoryRoot(), "..", "shared", "data", relative));
        if (!File.Exists(path))
        {
            Assert.Fail($"Shared market data is missing: {path}. These tests read ../shared/data next to the repository root; see its README.md.");
        }

        return path;
    }

    public static Scenario Load(string name, int? accounts = 2_000, ulong? seed = null, MarginMode? mode = null, params string[] sets) =>
        ScenarioLoader.Load(ConfigurationFactory.Default(), new ScenarioOverrides
        {
            Scenario = name,
            Catalog = Catalog,
            Accounts = accounts,
            Seed = seed,
            MarginMode = mode,
            Sets = [.. sets.Select(Set)],
        });

    public static ConfigOverride Set(string text)
    {
        var eq = text.IndexOf('=', StringComparison.Ordinal);
        return new ConfigOverride(text[..eq], text[(eq + 1)..]);
    }

    /// <summary>The account a seed opens, built with the risk core's own fold (as the engine's account actor will).</summary>
    public static Account Open(AccountSeed seed, RiskCatalog catalog)
    {
        var account = Account.Empty(seed.RiskAccountId, seed.Mode);
        foreach (var (asset, amount) in seed.Deposits)
        {
            account = AccountFold.Apply(account, new CollateralDeposited(asset, amount), catalog);
        }

        foreach (var t in seed.Trades)
        {
            if (t.IsolatedMargin != 0m)
            {
                account = AccountFold.Apply(account, new IsolatedMarginAssigned(t.Instrument, t.IsolatedMargin), catalog);
            }

            account = AccountFold.Apply(account, new PositionFilled(t.Instrument, t.Size, t.Price, 0m), catalog);
        }

        return account;
    }

    public static AccountRisk Evaluate(Scenario scenario, AccountSeed seed, MarketPrices? prices = null) =>
        MarginEngine.Evaluate(Open(seed, scenario.Catalog), scenario.Catalog, prices ?? scenario.InitialPrices, scenario.Risk.Portfolio);

    /// <summary>A canonical text of a population, for equality checks.</summary>
    public static string Fingerprint(Population population)
    {
        var b = new System.Text.StringBuilder();
        foreach (var s in population.All())
        {
            b.Append(s.AccountId).Append(' ').Append(s.Mode).Append(' ');
            foreach (var (asset, amount) in s.Deposits)
            {
                b.Append(asset).Append('=').Append(amount).Append(',');
            }

            foreach (var t in s.Trades)
            {
                b.Append(t).Append(';');
            }

            b.Append('\n');
        }

        return b.ToString();
    }
}
