using System.Diagnostics;
using System.Text;

namespace SafeMigrations.EmbeddedPostgres;

/// <summary>Runs initdb / pg_ctl, as <paramref name="runAsUser"/> (through runuser) when given.</summary>
internal sealed record ExternalCommand(string FileName, IReadOnlyList<string> Arguments, string? RunAsUser)
{
    public sealed record Result(int ExitCode, string Output)
    {
        public bool Succeeded => ExitCode == 0;
    }

    /// <summary>Environment variables for the command (a password goes here, never on its command line).</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    public string Display => string.Join(' ', new[] { FileName }.Concat(Arguments));

    public async Task<Result> RunAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var process = new Process { StartInfo = CreateStartInfo() };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            throw new EmbeddedPostgresException($"Could not start '{process.StartInfo.FileName}': {ex.Message}", ex);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var timeoutSource = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeoutSource.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(timeoutSource.Token);
        }
        catch (OperationCanceledException)
        {
            TryKill(process);
            if (cancellationToken.IsCancellationRequested)
            {
                throw;
            }

            throw new EmbeddedPostgresException($"'{Display}' did not finish within {timeout.TotalSeconds:0} s.");
        }

        process.WaitForExit(); // flushes the asynchronous output readers
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }

    /// <summary>Synchronous variant for exit handlers, where nothing may be awaited.</summary>
    public Result Run(TimeSpan timeout)
    {
        using var process = new Process { StartInfo = CreateStartInfo() };
        var output = new StringBuilder();
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)timeout.TotalMilliseconds))
        {
            TryKill(process);
            return new Result(-1, "timed out");
        }

        process.WaitForExit();
        lock (output)
        {
            return new Result(process.ExitCode, output.ToString());
        }
    }

    private ProcessStartInfo CreateStartInfo()
    {
        var startInfo = new ProcessStartInfo
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        if (RunAsUser is null)
        {
            startInfo.FileName = FileName;
        }
        else
        {
            startInfo.FileName = "runuser";
            startInfo.ArgumentList.Add("-u");
            startInfo.ArgumentList.Add(RunAsUser);
            startInfo.ArgumentList.Add("--");
            startInfo.ArgumentList.Add(FileName);
        }

        foreach (var argument in Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        // Messages in English whatever the machine's locale, so errors can be quoted and matched.
        startInfo.Environment["LC_MESSAGES"] = "C";
        foreach (var (name, value) in Environment)
        {
            startInfo.Environment[name] = value; // runuser keeps the environment
        }

        return startInfo;
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
        }
    }

    private static void TryKill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // already exited
        }
    }
}
