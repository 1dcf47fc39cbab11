using MediaServer.Tests.Infrastructure;

namespace MediaServer.Tests.Turns;

/// <summary>
/// semantic_vad through the server process over WebSocket: the streaming transcript read at the pause holds a turn
/// whose words trail off ("... pizza and") where server_vad's fixed 500 ms cuts it in two; and every response that
/// answers a spoken turn reports the five latency marks in <c>response.done</c>.
/// </summary>
public sealed class SemanticVadEndToEndTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    private static byte[] HeldTurn() =>
    [
        .. TestSpeech.Pcm("I would like to order a large pizza and", tailSeconds: 0.9),
        .. TestSpeech.Pcm("a bottle of lemonade.", leadSeconds: 0, tailSeconds: 3.0),
    ];

    private async Task<int> CountTurnsAsync(object turnDetection)
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server, subprotocols: "realtime");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "realtime", audio = new { input = new { turn_detection = turnDetection } } },
        });
        await client.WaitForAsync("session.updated");
        await client.AppendAudioAsync(HeldTurn());
        // The last turn ends within the trailing 3 s of silence; then no more can come.
        await client.WaitForAsync("input_audio_buffer.committed", 30, e => client.All("input_audio_buffer.speech_stopped").Count >= 1);
        await Task.Delay(1500);
        return client.All("input_audio_buffer.speech_stopped").Count;
    }

    [Fact]
    public async Task Semantic_vad_holds_a_trailing_and_that_server_vad_cuts()
    {
        int serverVad = await CountTurnsAsync(new { type = "server_vad", create_response = false });
        int semantic = await CountTurnsAsync(new { type = "semantic_vad", eagerness = "high", create_response = false });

        Assert.Equal(2, serverVad);
        Assert.Equal(1, semantic);
    }

    [Fact]
    public async Task Response_done_reports_each_stage_from_end_of_speech_to_first_packet()
    {
        await using var client = await RealtimeTestClient.ConnectAsync(fixture.Server, subprotocols: "realtime");
        await client.WaitForAsync("session.created");
        await client.SendAsync(new
        {
            type = "session.update",
            session = new { type = "realtime", audio = new { input = new { turn_detection = new { type = "server_vad" } } } },
        });
        await client.WaitForAsync("session.updated");
        await client.AppendAudioAsync(TestSpeech.Pcm("what time is it", tailSeconds: 1.5));

        var done = await client.WaitForAsync("response.done", 60);
        var latency = done["response"]!["latency"]!;
        foreach (string field in new[]
                 {
                     "end_of_speech_to_turn_end_ms", "end_of_speech_to_transcript_ms", "transcript_to_first_token_ms",
                     "first_token_to_first_audio_ms", "first_audio_to_first_packet_ms", "end_of_speech_to_first_packet_ms",
                 })
        {
            Assert.True(latency[field] is not null, $"latency.{field} missing in {latency.ToJsonString()}");
            Assert.True((double)latency[field]! >= 0, field);
        }

        // The whole is at least the sum of its consecutive parts.
        double parts = (double)latency["end_of_speech_to_turn_end_ms"]! + (double)latency["end_of_speech_to_transcript_ms"]!
            + (double)latency["transcript_to_first_token_ms"]! + (double)latency["first_token_to_first_audio_ms"]!
            + (double)latency["first_audio_to_first_packet_ms"]!;
        Assert.InRange((double)latency["end_of_speech_to_first_packet_ms"]!, parts - 1, parts + 1);
    }
}
