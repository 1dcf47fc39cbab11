using System.Diagnostics;
using System.Globalization;

namespace MediaServer.Load;

/// <summary>
/// Phone calls from SIPp (Debian's sip-tester): G.711 µ-law INVITEs to the server's SIP port, each looping the
/// speech clip over RTP with <c>rtp_stream</c>, answered by the server's default session (no webhook: calls are
/// accepted at once). A ramp step places N calls that hang up together after a fixed pause; the soak keeps K calls
/// up, each lasting a uniformly random 20 to 90 s, a new one placed as soon as one ends.
/// </summary>
public sealed class SipLoad(ServerUnderTest server, SpeechClip clip, bool soak = false, int soakMinSeconds = 20, int soakMaxSeconds = 90) : ILoadGenerator
{
    private Process? _sipp;
    private Task<string>? _stdout;
    private Task<string>? _stderr;
    private string? _scenarioPath;

    public Task StartAsync(int calls, TimeSpan duration)
    {
        string template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Scenarios", "load_call.xml"));
        string pause = soak
            ? $"<pause distribution=\"uniform\" min=\"{soakMinSeconds * 1000}\" max=\"{soakMaxSeconds * 1000}\"/>"
            : $"<pause milliseconds=\"{(long)duration.TotalMilliseconds}\"/>";
        _scenarioPath = Path.Combine(Path.GetTempPath(), $"load-sipp-{Guid.NewGuid():N}.xml");
        File.WriteAllText(_scenarioPath, template.Replace("[ulaw_file]", clip.Ulaw, StringComparison.Ordinal).Replace("[pause]", pause, StringComparison.Ordinal));
        var psi = new ProcessStartInfo("sipp")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = Path.GetTempPath(),
        };
        int mediaPort = 20_000 + (Random.Shared.Next(0, 2000) * 2);
        string total = soak ? "1000000" : calls.ToString(CultureInfo.InvariantCulture);
        string rate = soak ? "2" : Math.Max(5, calls / 2).ToString(CultureInfo.InvariantCulture);
        foreach (var a in new[]
        {
            "-sf", _scenarioPath, "-s", "agent", "-i", "127.0.0.1", "-p", ServerUnderTest.FreePort().ToString(CultureInfo.InvariantCulture),
            "-mi", "127.0.0.1", "-mp", mediaPort.ToString(CultureInfo.InvariantCulture), "-t", "u1", "-nostdin",
            "-m", total, "-l", calls.ToString(CultureInfo.InvariantCulture), "-r", rate, "-rp", "1000",
            "-timeout", soak ? "3h" : $"{(int)duration.TotalSeconds + 60}s", "-timeout_error",
            $"127.0.0.1:{server.SipPort}",
        })
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["TERM"] = "dumb";
        _sipp = Process.Start(psi) ?? throw new InvalidOperationException("sipp did not start");
        _stdout = _sipp.StandardOutput.ReadToEndAsync();
        _stderr = _sipp.StandardError.ReadToEndAsync();
        return Task.CompletedTask;
    }

    public async Task<ClientReport> StopAsync()
    {
        if (_sipp is null)
        {
            return new ClientReport(0, 0, 0);
        }

        if (soak && !_sipp.HasExited)
        {
            _sipp.Kill(entireProcessTree: true);
        }

        try
        {
            await _sipp.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            _sipp.Kill(entireProcessTree: true);
            await _sipp.WaitForExitAsync();
        }

        string output = await _stderr! + await _stdout!;
        int code = _sipp.ExitCode;
        _sipp.Dispose();
        _sipp = null;
        // SIPp exits 0 when every call succeeded, 1 when at least one failed (sipp(1) EXIT STATUS).
        bool ok = code == 0 || soak;
        return new ClientReport(0, ok ? 0 : 1, 0, ok ? "" : $"sipp exit {code}: {Tail(output)}");
    }

    private static string Tail(string s) => s.Length <= 300 ? s : s[^300..];

    public async ValueTask DisposeAsync()
    {
        if (_sipp is not null)
        {
            if (!_sipp.HasExited)
            {
                _sipp.Kill(entireProcessTree: true);
            }

            await _sipp.WaitForExitAsync();
            _sipp.Dispose();
        }

        if (_scenarioPath is not null)
        {
            File.Delete(_scenarioPath);
        }
    }
}
