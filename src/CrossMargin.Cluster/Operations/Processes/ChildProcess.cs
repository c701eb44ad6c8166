using System.Diagnostics;

namespace CrossMargin.Cluster.Operations.Processes;

/// <summary>
/// A process started by <c>cluster up</c> or a failover test: its standard output and error are appended to one log
/// file (so a crashed node's last words survive), and it can be signalled (<see cref="PosixSignals"/>). Dispose kills
/// it if it still runs; call <see cref="StopAsync"/> for a clean stop first.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StreamWriter _log;
    private readonly Lock _logLock = new();
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ChildProcess(string name, Process process, StreamWriter log, string logPath)
    {
        Name = name;
        _process = process;
        _log = log;
        LogPath = logPath;
    }

    /// <summary>A short name for messages (<c>node-2</c>).</summary>
    public string Name { get; }

    /// <summary>The operating-system process id.</summary>
    public int Pid => _process.Id;

    /// <summary>The file standard output and error are appended to.</summary>
    public string LogPath { get; }

    /// <summary>True once the process has exited.</summary>
    public bool HasExited => _exited.Task.IsCompleted;

    /// <summary>Completes when the process exits.</summary>
    public Task Exited => _exited.Task;

    /// <summary>The exit code; only meaningful once <see cref="HasExited"/>.</summary>
    public int ExitCode => _process.ExitCode;

    /// <summary>Starts <paramref name="start"/> (its redirection settings are overwritten) with output to <paramref name="logPath"/>.</summary>
    /// <exception cref="ClusterOperationException">The executable cannot be started.</exception>
    public static ChildProcess Start(string name, ProcessStartInfo start, string logPath)
    {
        ArgumentNullException.ThrowIfNull(start);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(logPath))!);
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.RedirectStandardInput = true;
        var log = new StreamWriter(new FileStream(logPath, FileMode.Append, FileAccess.Write, FileShare.ReadWrite)) { AutoFlush = true };
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var child = new ChildProcess(name, process, log, logPath);
        process.OutputDataReceived += (_, e) => child.Append(e.Data);
        process.ErrorDataReceived += (_, e) => child.Append(e.Data);
        process.Exited += (_, _) => child._exited.TrySetResult();
        try
        {
            if (!process.Start())
            {
                throw new ClusterOperationException($"{name}: {start.FileName} did not start");
            }
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            log.Dispose();
            throw new ClusterOperationException($"{name}: cannot start {start.FileName}: {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>Sends <paramref name="signal"/> (see <see cref="PosixSignals"/>); false when the process is already gone.</summary>
    public bool Signal(int signal) => !HasExited && PosixSignals.Send(Pid, signal);

    /// <summary>
    /// Stops the process cleanly: SIGTERM (after SIGCONT, in case it is paused), then waits up to <paramref name="grace"/>
    /// for it to exit, then SIGKILL. Returns the exit code, or null when it had to be killed.
    /// </summary>
    public async Task<int?> StopAsync(TimeSpan grace)
    {
        if (HasExited)
        {
            return ExitCode;
        }

        Signal(PosixSignals.Continue);
        Signal(PosixSignals.Terminate);
        if (await WaitAsync(grace).ConfigureAwait(false))
        {
            return ExitCode;
        }

        Signal(PosixSignals.Kill);
        await WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        return null;
    }

    /// <summary>Waits up to <paramref name="timeout"/> for the process to exit; true when it did.</summary>
    public async Task<bool> WaitAsync(TimeSpan timeout)
    {
        var done = await Task.WhenAny(_exited.Task, Task.Delay(timeout)).ConfigureAwait(false);
        if (done != _exited.Task)
        {
            return false;
        }

        // Let the asynchronous output readers drain the pipes into the log.
        await _process.WaitForExitAsync().ConfigureAwait(false);
        return true;
    }

    /// <summary>The log file's text so far (for assertions and error messages).</summary>
    public string ReadLog()
    {
        using var stream = new FileStream(LogPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        if (!HasExited)
        {
            Signal(PosixSignals.Continue);
            Signal(PosixSignals.Kill);
            await WaitAsync(TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        }

        _process.Dispose();
        lock (_logLock)
        {
            _log.Dispose();
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_logLock)
        {
            try
            {
                _log.WriteLine(line);
            }
            catch (ObjectDisposedException)
            {
                // Output that arrives after disposal (the pipe drains late) has nowhere to go.
            }
        }
    }
}
