using System.Globalization;
using System.Net;

namespace MediaServer.Tests.Infrastructure;

/// <summary>SIPp as a caller: <c>Scenarios/sip_call.xml</c> dials the server's SIP port and streams G.711 µ-law speech.</summary>
public static class SippCaller
{
    /// <summary>Calls 127.0.0.1:<paramref name="sipPort"/>, plays <paramref name="ulaw"/>, hangs up after <paramref name="callMs"/>.</summary>
    public static async Task<(int ExitCode, string Output)> CallAsync(int sipPort, byte[] ulaw, int callMs)
    {
        string file = Path.Combine(Path.GetTempPath(), $"caller-{Guid.NewGuid():N}.ulaw");
        await File.WriteAllBytesAsync(file, ulaw);
        try
        {
            return await SippRunner.RunAsync(
                Path.Combine(TestPaths.RepositoryRoot, "tests", "MediaServer.Tests", "Scenarios", "sip_call.xml"),
                new IPEndPoint(IPAddress.Loopback, sipPort),
                new Dictionary<string, string> { ["ulaw_file"] = file, ["call_ms"] = callMs.ToString(CultureInfo.InvariantCulture) },
                timeout: TimeSpan.FromSeconds(60));
        }
        finally
        {
            File.Delete(file);
        }
    }
}
