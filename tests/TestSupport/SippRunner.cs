using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.TestSupport;

/// <summary>Runs the real SIPp (Debian sip-tester) as a UAC or UAS against our server, on loopback and free ports.</summary>
public static class SippRunner
{
    /// <summary>A UDP port free right now (bind to 0, read, release).</summary>
    public static int FreeUdpPort()
    {
        using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        s.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        return ((IPEndPoint)s.LocalEndPoint!).Port;
    }

    /// <summary>An even free port with port+2 free too (SIPp's -rtp_echo also binds media port + 2).</summary>
    public static int FreeMediaPort()
    {
        for (int attempt = 0; attempt < 50; attempt++)
        {
            int p = Random.Shared.Next(20000, 30000) & ~1;
            if (IsFree(p) && IsFree(p + 1) && IsFree(p + 2) && IsFree(p + 3))
            {
                return p;
            }
        }

        throw new InvalidOperationException("no free media port");
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var s = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            s.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    /// <summary>
    /// Runs the scenario at <paramref name="scenarioPath"/> for <paramref name="calls"/> calls, calling
    /// <paramref name="server"/> (or, when null, waiting as a UAS on <paramref name="localPort"/>); returns SIPp's exit
    /// code and its errors plus the tail of its screen. <c>[key]</c> placeholders are filled from <paramref name="keys"/>.
    /// </summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string scenarioPath, IPEndPoint? server, IReadOnlyDictionary<string, string>? keys = null,
        int calls = 1, string transport = "u1", bool rtpEcho = false, TimeSpan? timeout = null, string? extra = null, int? localPort = null)
    {
        // SIPp does not expand -key values inside exec/pause attributes, so placeholders are filled in a copy.
        string text = await File.ReadAllTextAsync(scenarioPath);
        foreach (var (key, value) in keys ?? new Dictionary<string, string>())
        {
            text = text.Replace("[" + key + "]", value, StringComparison.Ordinal);
        }

        string copy = Path.Combine(Path.GetTempPath(), $"sipp-{Environment.ProcessId}-{Guid.NewGuid():N}-{Path.GetFileName(scenarioPath)}");
        await File.WriteAllTextAsync(copy, text);
        TimeSpan limit = timeout ?? TimeSpan.FromSeconds(40);
        var args = new StringBuilder();
        args.Append(CultureInfo.InvariantCulture, $"-sf {copy} -m {calls} -l {calls} -s agent -i 127.0.0.1 -p {localPort ?? FreeUdpPort()} ");
        args.Append(CultureInfo.InvariantCulture, $"-mi 127.0.0.1 -mp {FreeMediaPort()} -t {transport} -nostdin -timeout {(int)limit.TotalSeconds}s ");
        args.Append("-trace_err -error_file /dev/stderr ");
        if (rtpEcho)
        {
            args.Append("-rtp_echo ");
        }

        args.Append(extra).Append(' ');
        if (server is not null)
        {
            args.Append(CultureInfo.InvariantCulture, $"{server.Address}:{server.Port}");
        }

        var psi = new ProcessStartInfo("sipp", args.ToString())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetTempPath(),
        };
        psi.Environment["TERM"] = "dumb";
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // SIPp's own -timeout ends it; this is the backstop for a SIPp that hangs past it.
        using var cts = new CancellationTokenSource(limit + TimeSpan.FromSeconds(20));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        File.Delete(copy);
        string output = await stderr + "\n" + Tail(await stdout, 3000);
        return (process.ExitCode, output);
    }

    private static string Tail(string s, int n) => s.Length <= n ? s : s[^n..];
}
