using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.Load;

/// <summary>
/// The server under load: this build's MediaServer started as its own process on 127.0.0.1 with free ports, open
/// auth (loopback only) and the chosen engines; killed when disposed.
/// </summary>
public sealed class ServerUnderTest : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ServerUnderTest(Process process, int port, int sipPort)
    {
        _process = process;
        Port = port;
        SipPort = sipPort;
    }

    public int Port { get; }

    public int SipPort { get; }

    public int Pid => _process.Id;

    public Uri HttpBase => new($"http://127.0.0.1:{Port}");

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(10) };

    public string LogTail
    {
        get
        {
            lock (_log)
            {
                string s = _log.ToString();
                return s[^Math.Min(3000, s.Length)..];
            }
        }
    }

    public static async Task<ServerUnderTest> StartAsync(string engine)
    {
        int port = FreePort(), sipPort = FreePort();
        string dll = typeof(global::Program).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = TestPaths.RepositoryRoot };
        foreach (var a in new[]
        {
            dll, $"--MediaServer:Http:Address=127.0.0.1", $"--MediaServer:Http:Port={port}", $"--MediaServer:Sip:Port={sipPort}",
            $"--MediaServer:Sip:ListenAddress=127.0.0.1", $"--MediaServer:Engines:ModelsDirectory={TestPaths.SileroDirectory}",
            $"--MediaServer:Engines:Stub={(engine == "stub" ? "true" : "false")}", "--MediaServer:Realtime:MaxSessionMinutes=120",
            // One driver key opens every session: lift the per-key cap (default 20) so the ramp measures the media path.
            "--MediaServer:Realtime:MaxSessionsPerKey=10000", "--MediaServer:Sip:MaxCallsPerSecondPerSource=1000",
            // Every load call comes from one SIPp on 127.0.0.1: the per-source flood limit must not shape the ramp.
            "--MediaServer:Sip:MaxCallsPerSecondPerSource=0", "--MediaServer:Realtime:MaxConcurrentSessions=10000",
            "--Serilog:MinimumLevel:Default=Warning",
        })
        {
            psi.ArgumentList.Add(a);
        }

        // As run.sh and the Dockerfile start it: two glibc malloc arenas unless the driver's caller chose otherwise.
        psi.Environment["MALLOC_ARENA_MAX"] = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "2";
        var process = Process.Start(psi) ?? throw new InvalidOperationException("dotnet did not start");
        var server = new ServerUnderTest(process, port, sipPort);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(90);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{server.LogTail}");
            }

            try
            {
                if ((await server.Http.GetAsync(new Uri(server.HttpBase, "/healthz"))).IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(250);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"The server did not become healthy:\n{server.LogTail}");
    }

    /// <summary>Live WebSocket sessions plus live calls, from <c>/healthz</c>.</summary>
    public async Task<int> LiveAsync()
    {
        var h = await Http.GetFromJsonAsync<Health>(new Uri(HttpBase, "/healthz"));
        return h is null ? -1 : h.sessions + h.calls;
    }

    /// <summary>Waits until nothing is live (the previous step's calls have ended).</summary>
    public async Task WaitIdleAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && await LiveAsync() != 0)
        {
            await Task.Delay(500);
        }
    }

    public async Task<MetricsSnapshot> ScrapeAsync() =>
        MetricsSnapshot.Parse(await Http.GetStringAsync(new Uri(HttpBase, "/metrics")));

    public ProcessSample Sample() => ProcessSample.Read(_process.Id);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // The SIP and RTP sides are UDP: take a port free on both.
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, port));
        return port;
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_log)
        {
            _log.AppendLine(line);
            if (_log.Length > 100_000)
            {
                _log.Remove(0, 50_000);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
        Http.Dispose();
    }

    private sealed record Health(string status, int sessions, int calls);
}

/// <summary>The server process as the kernel sees it (Linux <c>/proc</c>).</summary>
public readonly record struct ProcessSample(DateTime At, double CpuSeconds, long RssBytes, int Threads, int Handles)
{
    /// <summary>USER_HZ: 100 on every Linux ABI this runs on.</summary>
    private const double ClockTicks = 100;

    public static ProcessSample Read(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        // Fields after the parenthesised command name; utime and stime are fields 14 and 15 (proc(5)).
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        double cpu = (long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture)) / ClockTicks;
        long rss = 0;
        int threads = 0;
        foreach (var line in File.ReadLines($"/proc/{pid}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                rss = long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024;
            }
            else if (line.StartsWith("Threads:", StringComparison.Ordinal))
            {
                threads = int.Parse(line.Split('\t', ' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }

        int handles = Directory.GetFileSystemEntries($"/proc/{pid}/fd").Length;
        return new ProcessSample(DateTime.UtcNow, cpu, rss, threads, handles);
    }
}
