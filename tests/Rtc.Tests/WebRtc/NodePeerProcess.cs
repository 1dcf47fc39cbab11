using System.Diagnostics;
using System.Text.Json;
using MediaServer.Rtc.Tests.Stun;

namespace MediaServer.Rtc.Tests.WebRtc;

/// <summary>
/// Runs a peer script from <c>tests/peers</c> (<c>wrtc-peer.js</c>: libwebrtc in Node; <c>chromium-peer.js</c>: Debian's
/// Chromium via playwright-core) and speaks their one-JSON-per-line protocol.
/// </summary>
internal sealed class NodePeerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private NodePeerProcess(Process process) => _process = process;

    public static string PeersDirectory => Path.Combine(TestPaths.RepositoryRoot, "tests", "peers");

    public static async Task<NodePeerProcess> StartAsync(string script, int timeoutMs, int minConnectedMs = 0)
    {
        await EnsureInstalledAsync();
        var start = new ProcessStartInfo("node", script)
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
        return new NodePeerProcess(process);
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
        if (Directory.Exists(Path.Combine(PeersDirectory, "node_modules", "@roamhq", "wrtc"))
            && Directory.Exists(Path.Combine(PeersDirectory, "node_modules", "playwright-core")))
        {
            return;
        }

        var info = new ProcessStartInfo("npm", "install --no-audit --no-fund")
        {
            WorkingDirectory = PeersDirectory,
            UseShellExecute = false,
        };
        info.Environment["PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD"] = "1"; // Debian's chromium only
        var install = Process.Start(info) ?? throw new InvalidOperationException("npm did not start");
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException("npm install in tests/peers failed");
        }
    }
}
