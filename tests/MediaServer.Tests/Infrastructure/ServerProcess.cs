using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MediaServer.Tests.Infrastructure;

/// <summary>
/// The real server as a separate process on a free loopback port, with the embedded engines, as a user runs it.
/// Its console output is kept for failure messages.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();

    private ServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public Uri HttpBase => new($"http://127.0.0.1:{Port}");

    public Uri WsBase => new($"ws://127.0.0.1:{Port}");

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static async Task<ServerProcess> StartAsync(params string[] extraArgs)
    {
        int port = FreeTcpPort();
        string dll = typeof(Program).Assembly.Location;
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = TestPaths.RepositoryRoot,
        };
        psi.ArgumentList.Add(dll);
        psi.ArgumentList.Add($"--MediaServer:Http:Port={port}");
        psi.ArgumentList.Add($"--MediaServer:Engines:ModelsDirectory={TestPaths.SileroDirectory}");
        psi.ArgumentList.Add($"--MediaServer:Web:Root={Path.Combine(TestPaths.RepositoryRoot, "web")}");
        psi.ArgumentList.Add($"--MediaServer:Sip:Port={FreeTcpPort()}");
        foreach (var a in extraArgs)
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        var server = new ServerProcess(process, port);
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var http = new HttpClient();
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (DateTime.UtcNow < deadline)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with {process.ExitCode}:\n{server.Output}");
            }

            try
            {
                var response = await http.GetAsync(new Uri(server.HttpBase, "/healthz"));
                if (response.IsSuccessStatusCode)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
                // not listening yet
            }

            await Task.Delay(200);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"The server did not become healthy:\n{server.Output}");
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
        }
    }

    /// <summary>Sends SIGINT (Ctrl-C) and waits for the process to exit; returns its exit code.</summary>
    public async Task<int> InterruptAsync(TimeSpan timeout)
    {
        await SignalAsync("-INT");
        return await WaitForExitAsync(timeout);
    }

    /// <summary>Sends a signal (<c>-TERM</c>, <c>-INT</c>) without waiting for the process to exit.</summary>
    public async Task SignalAsync(string signal)
    {
        using var kill = Process.Start("kill", [signal, _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        await kill.WaitForExitAsync();
    }

    /// <summary>Waits for the process to exit; returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public static int FreeTcpPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}

/// <summary>One server shared by the tests of a class.</summary>
public sealed class ServerFixture : IAsyncLifetime
{
    public ServerProcess Server { get; private set; } = null!;

    public async Task InitializeAsync() => Server = await ServerProcess.StartAsync();

    public async Task DisposeAsync() => await Server.DisposeAsync();
}
