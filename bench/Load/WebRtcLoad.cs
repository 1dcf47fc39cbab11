using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;

namespace MediaServer.Load;

/// <summary>
/// Browser-like WebRTC callers: one Node process (<c>tests/peers/load-webrtc.js</c>, libwebrtc through
/// <c>@roamhq/wrtc</c>) holding N peer connections with Opus audio and the <c>oai-events</c> data channel.
/// </summary>
public sealed class WebRtcLoad(ServerUnderTest server, SpeechClip clip, int soakMinSeconds = 0, int soakMaxSeconds = 0) : ILoadGenerator
{
    private Process? _node;
    private Task<string>? _stderr;
    private readonly List<string> _lines = [];
    private Task? _reader;

    public Task StartAsync(int calls, TimeSpan duration)
    {
        string peers = Path.Combine(TestPaths.RepositoryRoot, "tests", "peers");
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = peers };
        foreach (var a in new[] { Path.Combine(peers, "load-webrtc.js"), server.HttpBase.ToString().TrimEnd('/'), clip.Pcm48k,
                     calls.ToString(CultureInfo.InvariantCulture), ((int)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) })
        {
            psi.ArgumentList.Add(a);
        }

        if (soakMaxSeconds > 0)
        {
            psi.Environment["LOAD_MIN_S"] = soakMinSeconds.ToString(CultureInfo.InvariantCulture);
            psi.Environment["LOAD_MAX_S"] = soakMaxSeconds.ToString(CultureInfo.InvariantCulture);
        }

        _node = Process.Start(psi) ?? throw new InvalidOperationException("node did not start");
        _stderr = _node.StandardError.ReadToEndAsync();
        _reader = Task.Run(async () =>
        {
            while (await _node.StandardOutput.ReadLineAsync() is { } line)
            {
                lock (_lines)
                {
                    _lines.Add(line);
                }
            }
        });
        return Task.CompletedTask;
    }

    public async Task<ClientReport> StopAsync()
    {
        if (_node is null)
        {
            return new ClientReport(0, 0, 0);
        }

        if (!_node.HasExited)
        {
            using var term = Process.Start("kill", ["-TERM", _node.Id.ToString(CultureInfo.InvariantCulture)]);
            await term!.WaitForExitAsync();
        }

        try
        {
            await _node.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            _node.Kill(entireProcessTree: true);
        }

        await _reader!;
        string err = await _stderr!;
        string? last;
        lock (_lines)
        {
            last = _lines.LastOrDefault(l => l.Contains("\"result\"", StringComparison.Ordinal));
        }

        _node.Dispose();
        _node = null;
        if (last is null)
        {
            return new ClientReport(0, 1, 0, "no result from node: " + (err.Length > 300 ? err[^300..] : err));
        }

        var r = JsonNode.Parse(last)!;
        var errors = r["errors"]!.AsArray();
        int started = (int)r["started"]!, connected = (int)r["connected"]!;
        return new ClientReport((int)r["answers"]!, errors.Count + (started - connected),
            0, errors.Count > 0 ? (string?)errors[0] ?? "" : started != connected ? $"{started - connected} of {started} never connected" : "");
    }

    public async ValueTask DisposeAsync()
    {
        if (_node is not null)
        {
            await StopAsync();
        }
    }
}
