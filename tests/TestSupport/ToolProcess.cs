using System.Diagnostics;

namespace MediaServer.TestSupport;

/// <summary>Runs a command-line tool (sox, flite) that makes test data, to completion.</summary>
public static class ToolProcess
{
    /// <summary>Runs <paramref name="tool"/> with <paramref name="args"/>; throws with its standard error when it fails.</summary>
    public static void Run(string tool, params IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (string a in args)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        // Both pipes are drained so a chatty tool never blocks on a full one.
        var output = process.StandardOutput.ReadToEndAsync();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        output.GetAwaiter().GetResult();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{tool} failed: {error}");
        }
    }
}
