using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.RegularExpressions;
using CrossMargin.Engine.Reporting;

namespace CrossMargin.Cli.Options;

/// <summary>
/// Strict parsers for option values. Each one names the option, the value given and what is accepted,
/// so a bad command line fails at parse time with exit code 2 and a precise message.
/// </summary>
internal static partial class OptionParsing
{
    /// <summary>Bounds of <c>--accounts</c>.</summary>
    public const int MinAccounts = 1, MaxAccounts = 10_000_000;

    /// <summary>The one token of an option (System.CommandLine gives exactly one for single-valued options).</summary>
    private static string Token(ArgumentResult result) => result.Tokens.Count == 0 ? "" : result.Tokens[^1].Value;

    private static string OptionName(ArgumentResult result) =>
        result.Parent is OptionResult o ? o.Option.Name : result.Argument.Name;

    /// <summary>An integer in [<paramref name="min"/>, <paramref name="max"/>]; thousands separators <c>_</c> and <c>,</c> are accepted.</summary>
    public static int? IntInRange(ArgumentResult result, int min, int max)
    {
        var text = Token(result);
        var cleaned = text.Replace("_", "", StringComparison.Ordinal).Replace(",", "", StringComparison.Ordinal);
        var range = $"accepted {min.ToString("#,0", CultureInfo.InvariantCulture)}..{max.ToString("#,0", CultureInfo.InvariantCulture)}";
        if (!long.TryParse(cleaned, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value))
        {
            result.AddError($"{OptionName(result)}: '{text}' is not a whole number; {range}");
            return null;
        }

        if (value < min || value > max)
        {
            result.AddError($"{OptionName(result)}: {value.ToString(CultureInfo.InvariantCulture)} is out of range; {range}");
            return null;
        }

        return (int)value;
    }

    /// <summary>A seed: an unsigned 64-bit integer, decimal or <c>0x</c> hexadecimal.</summary>
    public static ulong? Seed(ArgumentResult result)
    {
        var text = Token(result);
        var ok = text.StartsWith("0x", StringComparison.OrdinalIgnoreCase)
            ? ulong.TryParse(text.AsSpan(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var value)
            : ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        if (!ok)
        {
            result.AddError($"{OptionName(result)}: '{text}' is not an unsigned 64-bit integer; accepted 0..{ulong.MaxValue.ToString(CultureInfo.InvariantCulture)} (or 0x hex)");
            return null;
        }

        return value;
    }

    /// <summary>A journal: <c>sqlite:PATH</c>, <c>postgres:CONN</c> or <c>inmem</c>.</summary>
    public static JournalTarget? Journal(ArgumentResult result)
    {
        if (JournalTarget.TryParse(Token(result), out var target, out var error)) return target;
        result.AddError($"{OptionName(result)}: {error}");
        return null;
    }

    /// <summary>A margin mode: <c>cross</c>, <c>isolated</c> or <c>portfolio</c>.</summary>
    public static MarginMode? Mode(ArgumentResult result)
    {
        var text = Token(result);
        if (MarginModes.TryParse(text, out var mode)) return mode;
        result.AddError($"{OptionName(result)}: '{text}' is not a margin mode; accepted {string.Join(", ", MarginModes.Names)}");
        return null;
    }

    /// <summary>A replay bound: a positive ordering number or an ISO-8601 instant.</summary>
    public static ReplayPoint? ReplayBound(ArgumentResult result)
    {
        var text = Token(result);
        if (ReplayPoint.TryParse(text, out var point)) return point;
        result.AddError($"{OptionName(result)}: '{text}' is neither a sequence number (1 or more) nor an ISO-8601 time such as 2025-10-10T21:15:00Z");
        return null;
    }

    /// <summary>
    /// Every <c>--set key=value</c> token: a dotted HOCON path, <c>=</c>, and a HOCON value checked by
    /// <paramref name="validateHocon"/> (which returns an error text or null).
    /// </summary>
    public static IReadOnlyList<ConfigOverride> Overrides(ArgumentResult result, Func<ConfigOverride, string?> validateHocon)
    {
        var overrides = new List<ConfigOverride>();
        foreach (var token in result.Tokens)
        {
            var text = token.Value;
            var eq = text.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                result.AddError($"{OptionName(result)}: '{text}' is not key=value; e.g. --set crossmargin.risk.liquidation-fee-rate=0.005");
                continue;
            }

            var key = text[..eq].Trim();
            var value = text[(eq + 1)..].Trim();
            if (!HoconPathPattern().IsMatch(key))
            {
                result.AddError($"{OptionName(result)}: '{key}' is not a HOCON path (dot-separated words of letters, digits, '-' and '_')");
                continue;
            }

            if (value.Length == 0)
            {
                result.AddError($"{OptionName(result)}: '{key}' has no value after '='");
                continue;
            }

            var item = new ConfigOverride(key, value);
            if (validateHocon(item) is { } error)
            {
                result.AddError($"{OptionName(result)}: '{text}' is not valid HOCON: {error}");
                continue;
            }

            overrides.Add(item);
        }

        return overrides;
    }

    /// <summary>An existing file; relative paths are taken from the current directory.</summary>
    public static string? ExistingFile(ArgumentResult result)
    {
        var text = Token(result);
        if (text.Length == 0 || !File.Exists(text))
        {
            result.AddError($"{OptionName(result)}: file '{text}' does not exist (looked in {Directory.GetCurrentDirectory()})");
            return null;
        }

        return text;
    }

    /// <summary>Every token an existing file (for <c>--ticks FILE…</c>).</summary>
    public static string[] ExistingFiles(ArgumentResult result)
    {
        var files = new List<string>();
        foreach (var token in result.Tokens)
        {
            if (File.Exists(token.Value)) files.Add(token.Value);
            else result.AddError($"{OptionName(result)}: file '{token.Value}' does not exist (looked in {Directory.GetCurrentDirectory()})");
        }

        return [.. files];
    }

    /// <summary>A scenario: a name made of letters, digits, '-' and '_', or a path to an existing <c>.conf</c> file.</summary>
    public static string? Scenario(ArgumentResult result)
    {
        var text = Token(result);
        var looksLikeFile = text.EndsWith(".conf", StringComparison.OrdinalIgnoreCase) || text.Contains('/', StringComparison.Ordinal) || text.Contains('\\', StringComparison.Ordinal);
        if (looksLikeFile)
        {
            if (File.Exists(text)) return text;
            result.AddError($"{OptionName(result)}: scenario file '{text}' does not exist (looked in {Directory.GetCurrentDirectory()})");
            return null;
        }

        if (ScenarioNamePattern().IsMatch(text)) return text;
        result.AddError($"{OptionName(result)}: '{text}' is not a scenario name (letters, digits, '-', '_') or a .conf file; e.g. crash, correlated-selloff, collateral-depeg");
        return null;
    }

    [GeneratedRegex(@"^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex HoconPathPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ScenarioNamePattern();
}
