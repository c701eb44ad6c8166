namespace CrossMargin.Cli;

/// <summary>The process exit codes of <c>crossmargin</c>; docs/cli.md lists them for users and scripts.</summary>
internal static class ExitCodes
{
    /// <summary>The command did what was asked and every invariant held.</summary>
    public const int Success = 0;

    /// <summary>An invariant was violated (money conservation, open interest, sequence numbers, replay hash); the evidence was printed.</summary>
    public const int InvariantViolation = 1;

    /// <summary>Bad input: an option out of range, a malformed file or configuration, an unknown scenario or account.</summary>
    public const int BadInput = 2;

    /// <summary>The engine failed unexpectedly or is not available in this build; the message and the log file say more.</summary>
    public const int EngineFailure = 3;

    /// <summary>Interrupted (Ctrl-C). A simulation still writes its partial report (marked partial) before exiting with this code.</summary>
    public const int Interrupted = 130;
}
