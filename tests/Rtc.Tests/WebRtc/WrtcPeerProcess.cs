using System.Diagnostics;
using System.Text.Json;
using MediaServer.Rtc.Tests.Stun;

namespace MediaServer.Rtc.Tests.WebRtc;

/// <summary>Runs <c>tests/peers/wrtc-peer.js</c> (libwebrtc in Node) and speaks its one-JSON-per-line protocol.</summary>
internal sealed class WrtcPeerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private WrtcPeerProcess(Process process) => _process = process;

    public static string PeersDirectory => Path.Combine(TestVectorFiles.RepositoryRoot(), "tests", "peers");

    public static async Task<WrtcPeerProcess> StartAsync(int timeoutMs, int minConnectedMs = 0)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", "wrtc-peer.js")
        {
            WorkingDirectory = PeersDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["PEER_TIMEOUT_MS"] = timeoutMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        start.Environment["PEER_MIN_CONNECTED_MS"] = minConnectedMs.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var process = Process.Start(start) ?? throw new InvalidOperationException("node did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        return new WrtcPeerProcess(process);
    }

    public async Task<JsonElement> ReadMessageAsync(string type, CancellationToken cancellationToken)
    {
        while (true)
        {
            string? line = await _process.StandardOutput.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                throw new InvalidOperationException("The node peer exited before sending " + type);
            }

            if (line.StartsWith('{'))
            {
                var element = JsonDocument.Parse(line).RootElement;
                if (element.GetProperty("type").GetString() == type)
                {
                    return element;
                }
            }
        }
    }

    public async Task SendAsync(object message)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Kills the peer without any goodbye, as a closed laptop would vanish.</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync();
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

    /// <summary>Installs the npm peer package once (its Linux binary comes from the npm registry).</summary>
    private static async Task EnsureInstalledAsync()
    {
        if (Directory.Exists(Path.Combine(PeersDirectory, "node_modules", "@roamhq", "wrtc")))
        {
            return;
        }

        var install = Process.Start(new ProcessStartInfo("npm", "install --no-audit --no-fund")
        {
            WorkingDirectory = PeersDirectory,
            UseShellExecute = false,
        }) ?? throw new InvalidOperationException("npm did not start");
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException("npm install in tests/peers failed");
        }
    }
}
