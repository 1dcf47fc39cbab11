using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Upstream;

/// <summary>
/// A browser's call into F (libwebrtc posting its offer to <c>/v1/realtime/calls</c>) with F's default model
/// delegated to U: F's VAD takes the caller's turn from the Opus track, U transcribes and answers, and the caller
/// hears U's voice on the remote track, paced by F's media clock.
/// </summary>
[Collection(UpstreamPairCollection.Name)]
public sealed class UpstreamCallTests(UpstreamPairFixture pair)
{
    [Fact]
    public async Task Webrtc_caller_on_the_front_node_hears_the_upstreams_answer()
    {
        string speech = Path.Combine(Path.GetTempPath(), $"upstream-webrtc-{Guid.NewGuid():N}.raw");
        await File.WriteAllBytesAsync(speech, TestSpeech.Pcm("what time is it", 48_000, leadSeconds: 1.0, tailSeconds: 1.5));
        var result = await WebRtcRealtimeCallTests.RunPeerAsync("realtime-webrtc-client.js", pair.Front.HttpBase.ToString().TrimEnd('/'), speech, "test-key");
        File.Delete(speech);
        var events = result["events"]!.AsArray().Select(e => (string)e!).ToList();
        string context = result.ToJsonString() + "\n" + Tail(pair.Front.Output);
        Assert.True(result["errors"]!.AsArray().Count == 0, context);
        Assert.Equal("session.created", events.FirstOrDefault());
        Assert.Contains("input_audio_buffer.speech_started", events);
        Assert.Contains("input_audio_buffer.speech_stopped", events);
        Assert.Contains("input_audio_buffer.committed", events);
        string transcript = (string?)result["transcript"] ?? "";
        int heard = new[] { "what", "time", "is", "it" }.Count(w => transcript.Split(' ').Contains(w));
        Assert.True(heard >= 3, $"transcript '{transcript}'\n{context}");
        // U's offline responder tells the time; F's own chat model is a closed port and could not have.
        Assert.StartsWith("It is", (string?)result["agentTranscript"]);
        Assert.Equal("completed", (string?)result["status"]);
        Assert.Contains("output_audio_buffer.started", events);
        Assert.DoesNotContain("response.output_audio.delta", events);
        Assert.True((int)result["loudAudioFrames"]! >= 50, $"upstream's answer too quiet on the call: {context}");
        Assert.Contains("Upstream ulocal connected", pair.Front.Output, StringComparison.Ordinal);
    }

    private static string Tail(string s) => s[^Math.Min(3000, s.Length)..];
}
