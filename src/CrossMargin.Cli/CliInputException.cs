namespace CrossMargin.Cli;

/// <summary>Bad input found after parsing (a configuration file that does not parse, a combination of options that makes no sense): exit code 2.</summary>
internal sealed class CliInputException(string message, Exception? inner = null) : Exception(message, inner);
