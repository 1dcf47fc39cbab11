using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.ScaleOut;

/// <summary>Starts redis-server, Kamailio (with the repository's deploy/kamailio config) and SIPp on loopback.</summary>
internal static class ClusterPeers
{
    public static string ScenarioPath(string name) => Path.Combine(TestPaths.RepositoryRoot, "tests", "MediaServer.Tests", "ScaleOut", "Scenarios", name);

    /// <summary>redis-server on a free loopback port, no persistence, its files in <paramref name="dir"/>.</summary>
    public static async Task<(PeerProcess Process, int Port)> StartRedisAsync(string dir)
    {
        int port = ServerProcess.FreeTcpPort();
        var redis = PeerProcess.Start(DebianPeers.RedisServer, dir,
            "--port", port.ToString(CultureInfo.InvariantCulture), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--dir", dir);
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !redis.HasExited)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                var stream = client.GetStream();
                await stream.WriteAsync("PING\r\n"u8.ToArray());
                var buffer = new byte[16];
                int n = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(2));
                if (Encoding.ASCII.GetString(buffer, 0, n).StartsWith("+PONG", StringComparison.Ordinal))
                {
                    return (redis, port);
                }
            }
            catch (SocketException)
            {
                // not listening yet
            }

            await Task.Delay(100);
        }

        string output = redis.Output;
        await redis.DisposeAsync();
        throw new InvalidOperationException("redis-server did not start:\n" + output);
    }

    /// <summary>
    /// Kamailio with <c>deploy/kamailio/kamailio.cfg</c> on a free UDP port, dispatching to the given node SIP ports
    /// (the dispatcher list is generated from the template), probing every second.
    /// </summary>
    public static async Task<(PeerProcess Process, int Port)> StartKamailioAsync(string dir, params int[] nodeSipPorts)
    {
        string template = await File.ReadAllTextAsync(Path.Combine(TestPaths.RepositoryRoot, "deploy", "kamailio", "dispatcher.list.template"));
        var lines = template.Split('\n').Where(l => l.StartsWith('#')).ToList();
        lines.AddRange(nodeSipPorts.Select(p => $"1 sip:127.0.0.1:{p.ToString(CultureInfo.InvariantCulture)}"));
        string list = Path.Combine(dir, "dispatcher.list");
        await File.WriteAllLinesAsync(list, lines);
        int port = ServerProcess.FreeTcpPort();
        var kamailio = PeerProcess.Start(DebianPeers.Kamailio, dir,
            "-f", Path.Combine(TestPaths.RepositoryRoot, "deploy", "kamailio", "kamailio.cfg"),
            "-DD", "-E", "-l", $"udp:127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}",
            "-A", $"DISPATCHER_LIST=\"{list}\"", "-A", "PING_INTERVAL=1",
            "-Y", dir, "-P", Path.Combine(dir, "kamailio.pid"), "-w", dir, "-m", "32", "-M", "4");
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline && !kamailio.HasExited)
        {
            if (await OptionsAsync(port) is { } status && status.StartsWith("SIP/2.0 200", StringComparison.Ordinal))
            {
                return (kamailio, port);
            }
        }

        string output = kamailio.Output;
        await kamailio.DisposeAsync();
        throw new InvalidOperationException("kamailio did not start:\n" + output);
    }

    /// <summary>Sends one OPTIONS over UDP to <paramref name="port"/>; returns the reply's status line, or null after 300 ms.</summary>
    public static async Task<string?> OptionsAsync(int port)
    {
        using var udp = new UdpClient(new IPEndPoint(IPAddress.Loopback, 0));
        int localPort = ((IPEndPoint)udp.Client.LocalEndPoint!).Port;
        byte[] request = Encoding.ASCII.GetBytes(
            $"OPTIONS sip:127.0.0.1:{port} SIP/2.0\r\n" +
            $"Via: SIP/2.0/UDP 127.0.0.1:{localPort};branch=z9hG4bK{Guid.NewGuid():N}\r\n" +
            "Max-Forwards: 70\r\n" +
            $"From: <sip:test@127.0.0.1>;tag={Guid.NewGuid():N}\r\n" +
            $"To: <sip:127.0.0.1:{port}>\r\n" +
            $"Call-ID: {Guid.NewGuid():N}\r\n" +
            "CSeq: 1 OPTIONS\r\n" +
            "Content-Length: 0\r\n\r\n");
        await udp.SendAsync(request, new IPEndPoint(IPAddress.Loopback, port));
        try
        {
            using var wait = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
            var reply = await udp.ReceiveAsync(wait.Token);
            string text = Encoding.ASCII.GetString(reply.Buffer);
            int end = text.IndexOf('\r', StringComparison.Ordinal);
            return end < 0 ? text : text[..end];
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException)
        {
            return null;
        }
    }

    /// <summary>
    /// SIPp running <paramref name="scenario"/> (<c>Scenarios/</c>) against <paramref name="sipPort"/>: <paramref name="calls"/>
    /// calls, all at once, each streaming <paramref name="ulawFile"/> on its RTP.
    /// </summary>
    public static async Task<PeerProcess> StartSippAsync(string scenario, int sipPort, int calls, string ulawFile, string dir, IReadOnlyDictionary<string, string> values)
    {
        string text = await File.ReadAllTextAsync(ScenarioPath(scenario));
        text = text.Replace("[ulaw_file]", ulawFile, StringComparison.Ordinal);
        foreach (var (name, value) in values)
        {
            text = text.Replace($"[{name}]", value, StringComparison.Ordinal);
        }

        string path = Path.Combine(dir, $"{Path.GetFileNameWithoutExtension(scenario)}-{Guid.NewGuid():N}.xml");
        await File.WriteAllTextAsync(path, text);
        string count = calls.ToString(CultureInfo.InvariantCulture);
        int mediaPort = 20_000 + (Random.Shared.Next(0, 4000) * 2);
        return PeerProcess.Start(DebianPeers.Sipp, dir,
            "-sf", path, "-m", count, "-l", count, "-r", "10", "-s", "agent",
            "-i", "127.0.0.1", "-p", ServerProcess.FreeTcpPort().ToString(CultureInfo.InvariantCulture),
            "-mi", "127.0.0.1", "-mp", mediaPort.ToString(CultureInfo.InvariantCulture),
            "-t", "u1", "-nostdin", "-timeout", "90s", "-timeout_error",
            $"127.0.0.1:{sipPort.ToString(CultureInfo.InvariantCulture)}");
    }
}
