using System.Collections.Concurrent;
using MediaServer.Rtc.Dtls;
using MediaServer.Rtc.WebRtc;
using Xunit.Abstractions;
using Microsoft.Extensions.Logging.Abstractions;

namespace MediaServer.Rtc.Tests.WebRtc;

/// <summary>
/// Our endpoint against Debian's headless Chromium on loopback (driven by playwright-core, never a downloaded
/// browser): Chromium's DTLS 1.3-capable, fragmented ClientHello in the server role, its ClientHello-answering
/// server in the client role, SRTP with Opus both ways, and the <c>oai-events</c> data channel both ways.
/// </summary>
public sealed class ChromiumInteropTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(DtlsRole.Client)]
    [InlineData(DtlsRole.Server)]
    public async Task Chromium_connects_exchanges_messages_and_audio(DtlsRole role)
    {
        var options = new WebRtcOptions { PreferredDtlsRole = role, WarmUpHandshakes = 2 };
        await using var endpoint = new WebRtcEndpoint(options, TimeProvider.System, NullLoggerFactory.Instance);
        await endpoint.StartAsync();
        await using var peer = await NodePeerProcess.StartAsync("chromium-peer.js", timeoutMs: 15000, minConnectedMs: 2500);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var offer = await peer.ReadMessageAsync("offer", timeout.Token);
        var accepted = endpoint.Accept(offer.GetProperty("sdp").GetString());
        Assert.True(accepted.Succeeded, accepted.Message);
        var connection = accepted.Connection!;
        var received = new ConcurrentQueue<string>();
        int loudFrames = 0;
        var connected = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.StateChanged += (_, state) =>
        {
            if (state == WebRtcConnectionState.Connected)
            {
                connected.TrySetResult();
            }
        };
        connection.DataChannelOpened += channel => connection.TrySendEvent("{\"type\":\"session.created\"}");
        connection.TextReceived += (label, text) => received.Enqueue(label + ":" + text);
        var digits = new ConcurrentQueue<char>();
        connection.DtmfReceived += digits.Enqueue;
        connection.AudioFrameReceived += pcm =>
        {
            double sum = 0;
            foreach (short s in pcm)
            {
                sum += s * (double)s;
            }

            if (Math.Sqrt(sum / pcm.Length) > 300)
            {
                Interlocked.Increment(ref loudFrames);
            }
        };

        await peer.SendAsync(new { type = "answer", sdp = accepted.AnswerSdp });
        await connected.Task.WaitAsync(timeout.Token);
        var tone = new short[48000 * 10];
        for (int i = 0; i < tone.Length; i++)
        {
            tone[i] = (short)(8000 * Math.Sin(2 * Math.PI * 330 * i / 48000.0));
        }

        connection.EnqueueAudio(tone);
        var result = await peer.ReadMessageAsync("result", timeout.Token);
        var stats = connection.GetStats();
        string summary = $"{result} ours: loud {loudFrames} digits [{string.Concat(digits)}] stats {stats}";

        output.WriteLine(summary);
        Assert.True(result.GetProperty("everConnected").GetBoolean(), summary);
        Assert.Contains("{\"type\":\"session.created\"}", result.GetProperty("messagesReceived").EnumerateArray().Select(e => e.GetString()));
        Assert.Contains("oai-events:{\"type\":\"hello.from.chromium\"}", received);
        Assert.True(result.GetProperty("inboundPacketsReceived").GetInt32() > 50, summary);
        Assert.True(result.GetProperty("loudAudioFrames").GetInt32() >= 25, summary);
        Assert.True(loudFrames >= 25, summary);
        Assert.Equal(0, stats.SrtpErrors);
        Assert.True(string.Concat(digits) == "1#", summary); // RFC 4733 telephone-event/48000 from RTCDTMFSender
        Assert.Equal("DTLS 1.2", DtlsVersionName(result.GetProperty("tlsVersion").GetString()));
    }

    /// <summary>getStats reports the version as hex ("FEFD" is DTLS 1.2).</summary>
    private static string DtlsVersionName(string? hex) => hex?.ToUpperInvariant() switch
    {
        "FEFD" => "DTLS 1.2",
        "FEFC" => "DTLS 1.3",
        _ => hex ?? "none",
    };
}
