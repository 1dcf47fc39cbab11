using System.ClientModel;
using MediaServer.Tests.Infrastructure;
using OpenAI.Realtime;

namespace MediaServer.Tests;

/// <summary>
/// The foundation's acceptance test: the official OpenAI .NET client, pointed at our server by changing only the
/// endpoint, streams flite speech and gets the whole GA turn back: VAD events, a transcript of the spoken words and
/// a spoken answer, on the real server process with the embedded engines.
/// </summary>
public sealed class OpenAiSdkEndToEndTests(ServerFixture fixture) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Official_client_speaks_and_hears_a_spoken_answer()
    {
        var client = new RealtimeClient(new ApiKeyCredential("sk-test"), new RealtimeClientOptions
        {
            Endpoint = new Uri(fixture.Server.HttpBase, "/v1"),
        });
        using var session = await client.StartConversationSessionAsync("gpt-realtime");
        byte[] speech = TestSpeech.Pcm("what time is it");

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var seen = new List<string>();
        string? transcript = null;
        string? answerTranscript = null;
        var answerAudio = new MemoryStream();
        bool sent = false;
        await foreach (var update in session.ReceiveUpdatesAsync(timeout.Token))
        {
            seen.Add(update.GetType().Name);
            switch (update)
            {
                case RealtimeServerUpdateSessionCreated when !sent:
                    sent = true;
                    _ = Task.Run(async () =>
                    {
                        for (int at = 0; at < speech.Length; at += 4800)
                        {
                            await session.SendInputAudioAsync(BinaryData.FromBytes(speech.AsMemory(at, Math.Min(4800, speech.Length - at))), timeout.Token);
                        }
                    });
                    break;
                case RealtimeServerUpdateConversationItemInputAudioTranscriptionCompleted done:
                    transcript = done.Transcript;
                    break;
                case RealtimeServerUpdateResponseOutputAudioDelta delta:
                    answerAudio.Write(delta.Delta.ToArray());
                    break;
                case RealtimeServerUpdateResponseOutputAudioTranscriptDone transcriptDone:
                    answerTranscript = transcriptDone.Transcript;
                    break;
            }

            if (update is RealtimeServerUpdateResponseDone)
            {
                break;
            }
        }

        Assert.Contains(nameof(RealtimeServerUpdateInputAudioBufferSpeechStarted), seen);
        Assert.Contains(nameof(RealtimeServerUpdateInputAudioBufferSpeechStopped), seen);
        Assert.Contains(nameof(RealtimeServerUpdateInputAudioBufferCommitted), seen);
        Assert.True(seen.IndexOf(nameof(RealtimeServerUpdateInputAudioBufferSpeechStarted)) < seen.IndexOf(nameof(RealtimeServerUpdateInputAudioBufferSpeechStopped)));
        Assert.Equal("what time is it", transcript);
        Assert.False(string.IsNullOrWhiteSpace(answerTranscript));
        // At least half a second of 24 kHz speech well above silence.
        Assert.True(answerAudio.Length > 24_000, $"only {answerAudio.Length} bytes of answer audio");
        Assert.True(TestSpeech.Rms(answerAudio.ToArray()) > 300, "the answer audio is silent");
    }
}
