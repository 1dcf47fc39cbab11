using MediaServer.Pipeline.Audio;
using MediaServer.Pipeline.Llm;
using MediaServer.Pipeline.Stt;
using MediaServer.Pipeline.Stt.Pocketsphinx;
using MediaServer.Pipeline.Tests.Stt;
using MediaServer.Pipeline.Tts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Time.Testing;

namespace MediaServer.Pipeline.Tests.Tts;

/// <summary>The three default engines in a row, as one voice turn runs them: hear, answer, speak, and hear the answer.</summary>
[Collection(NativeSpeechCollection.Name)]
public sealed class EngineChainTests
{
    [Fact]
    public async Task A_spoken_question_gets_a_spoken_answer_that_the_recogniser_understands()
    {
        using var stt = new PocketsphinxSpeechToText(new PocketsphinxOptions { PoolSize = 1 });
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 3, 14, 10, 30, 0, TimeSpan.Zero));
        time.SetLocalTimeZone(TimeZoneInfo.Utc);
        using var chat = new ChatClientProvider(new LlmOptions(), time);
        var tts = new TextToSpeechRegistry();

        var question = await HearAsync(stt, TestSpeech.Flite("what time is it"));
        Assert.Equal("what time is it", question);

        var answer = await chat.Resolve("gpt-realtime").GetResponseAsync([new ChatMessage(ChatRole.User, question)]);
        Assert.Equal("It is 10:30 AM.", answer.Text);

        var spoken = new List<short>();
        await foreach (var chunk in tts.SynthesizeAsync(new SpeechRequest(answer.Text, "alloy"), CancellationToken.None)) spoken.AddRange(chunk.Span);
        Assert.Equal(AudioConstants.PipelineSampleRate, tts.SampleRate);

        var heard = await HearAsync(stt, spoken.ToArray());
        Assert.StartsWith("it is ten thirty", heard, StringComparison.Ordinal);
    }

    private static async Task<string> HearAsync(ISpeechToText stt, short[] speech)
    {
        var padded = new short[speech.Length + 9600];
        speech.CopyTo(padded, 4800);
        using var stream = stt.StartUtterance(new TranscriptionRequest(null, "en", null));
        for (var i = 0; i < padded.Length; i += AudioConstants.PipelineFrameSamples)
            stream.Write(padded.AsSpan(i, Math.Min(AudioConstants.PipelineFrameSamples, padded.Length - i)));
        return await stream.CompleteAsync(CancellationToken.None);
    }
}
