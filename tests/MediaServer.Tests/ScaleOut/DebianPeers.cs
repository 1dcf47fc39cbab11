using System.Diagnostics;

namespace MediaServer.Tests.ScaleOut;

/// <summary>
/// The Debian programs the scale-out test drives. <c>scripts/setup.sh</c> installs them with the other test peers;
/// when one is missing and the test runs as root it installs it itself (apt-get), otherwise it fails saying what to
/// install.
/// </summary>
internal static class DebianPeers
{
    public const string RedisServer = "/usr/bin/redis-server";
    public const string Kamailio = "/usr/sbin/kamailio";
    public const string Sipp = "/usr/bin/sipp";

    private static readonly SemaphoreSlim Gate = new(1, 1);

    public static async Task EnsureInstalledAsync()
    {
        await Gate.WaitAsync();
        try
        {
            var missing = new List<string>();
            if (!File.Exists(RedisServer))
            {
                missing.Add("redis-server");
            }

            if (!File.Exists(Kamailio))
            {
                missing.Add("kamailio");
            }

            if (!File.Exists(Sipp))
            {
                missing.Add("sip-tester");
            }

            if (missing.Count == 0)
            {
                return;
            }

            if (Environment.UserName != "root")
            {
                throw new InvalidOperationException($"Install {string.Join(' ', missing)} (scripts/setup.sh with MEDIASERVER_TEST_PEERS=1 does).");
            }

            await RunAsync("apt-get", ["update", "-qq"]);
            await RunAsync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", .. missing]);
        }
        finally
        {
            Gate.Release();
        }
    }

    private static async Task RunAsync(string program, string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.Environment["DEBIAN_FRONTEND"] = "noninteractive";
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{program} {string.Join(' ', args)} failed ({process.ExitCode}): {stderr}{await stdout}");
        }
    }
}
