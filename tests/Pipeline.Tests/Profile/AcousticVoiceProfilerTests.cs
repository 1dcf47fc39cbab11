using MediaServer.Pipeline.Profile;
using MediaServer.Pipeline.Tests.Audio;

namespace MediaServer.Pipeline.Tests.Profile;

/// <summary>
/// The acoustic profiler tracks prosody of synthetic utterances with known settings (espeak-ng pitch, speed,
/// amplitude, whisper variant; flite with sox tempo). Thresholds asserted are the ones in
/// <see cref="VoiceProfileRules"/>: pitch ±2 semitones from the baseline, slow under 3.5 and fast over 6.5
/// syllables/s, soft under −30 dBFS, loud over −16 dBFS, whispering under 30 % voiced speech frames.
/// </summary>
public class AcousticVoiceProfilerTests
{
    [Fact]
    public void HigherEspeakPitchReadsHigherF0()
    {
        var low = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 20), new VoiceProfileBaseline());
        var mid = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 50), new VoiceProfileBaseline());
        var high = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 80), new VoiceProfileBaseline());

        // espeak-ng en-us: -p 20 ~ 77 Hz, -p 50 ~ 100 Hz, -p 80 ~ 137 Hz median; at least 2 semitones apart each.
        Assert.True(Semitones(low, mid) > 2, $"{low.Features.MedianF0Hz} vs {mid.Features.MedianF0Hz}");
        Assert.True(Semitones(mid, high) > 2, $"{mid.Features.MedianF0Hz} vs {high.Features.MedianF0Hz}");
        Assert.InRange(mid.Features.MedianF0Hz, 80, 130);
    }

    [Fact]
    public void PitchIsLabelledAgainstTheSpeakersOwnBaseline()
    {
        var baseline = new VoiceProfileBaseline();
        var normal = ProfileSpeech.Espeak(pitch: 50);
        ProfileSpeech.Profile(normal, baseline);
        ProfileSpeech.Profile(normal, baseline);
        Assert.Equal(2, baseline.Utterances);

        var same = ProfileSpeech.Profile(normal, baseline);
        Assert.True(same.Features.HadBaseline);
        Assert.Equal("mid", VoiceProfile.Top(same.Pitch));
        Assert.True(same.Pitch[0].Confidence > 0.8);

        var before = baseline.F0Hz;
        var high = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 80), baseline);
        Assert.Equal("high", VoiceProfile.Top(high.Pitch));
        Assert.True(high.Pitch[0].Confidence > 0.8);
        Assert.True(baseline.F0Hz > before, "the baseline follows the speaker");

        var low = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 15), baseline);
        Assert.Equal("low", VoiceProfile.Top(low.Pitch));
    }

    [Fact]
    public void WithoutBaselinePitchConfidenceIsCapped()
    {
        var profile = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 20), new VoiceProfileBaseline());
        Assert.False(profile.Features.HadBaseline);
        Assert.Equal("low", VoiceProfile.Top(profile.Pitch)); // ~77 Hz is under 160 Hz − 5 semitones
        Assert.All(profile.Pitch, l => Assert.True(l.Confidence <= VoiceProfileRules.NoBaselineConfidenceCap));
    }

    [Fact]
    public void FasterEspeakReadsFasterAndIsLabelled()
    {
        var slow = ProfileSpeech.Profile(ProfileSpeech.Espeak(speed: 90), new VoiceProfileBaseline());
        var normal = ProfileSpeech.Profile(ProfileSpeech.Espeak(speed: 175), new VoiceProfileBaseline());
        var fast = ProfileSpeech.Profile(ProfileSpeech.Espeak(speed: 270), new VoiceProfileBaseline());

        Assert.True(slow.Features.SyllablesPerSecond < normal.Features.SyllablesPerSecond);
        Assert.True(normal.Features.SyllablesPerSecond < fast.Features.SyllablesPerSecond);
        Assert.Equal("slow", VoiceProfile.Top(slow.SpeakingRate));
        Assert.Equal("normal", VoiceProfile.Top(normal.SpeakingRate));
        Assert.Equal("fast", VoiceProfile.Top(fast.SpeakingRate));
    }

    [Fact]
    public void AcousticNucleiRateAloneOrdersSlowBeforeFast()
    {
        // No transcript: the rate comes from energy-envelope peaks only.
        var slow = ProfileSpeech.Profile(ProfileSpeech.Espeak(speed: 90), new VoiceProfileBaseline(), transcript: "");
        var fast = ProfileSpeech.Profile(ProfileSpeech.Espeak(speed: 270), new VoiceProfileBaseline(), transcript: "");
        Assert.Equal(0, slow.Features.TranscriptSyllablesPerSecond);
        Assert.True(fast.Features.NucleiPerSecond > slow.Features.NucleiPerSecond * 1.2,
            $"{slow.Features.NucleiPerSecond} vs {fast.Features.NucleiPerSecond}");
        Assert.Equal("slow", VoiceProfile.Top(slow.SpeakingRate));
    }

    [Fact]
    public void SoxTempoOnFliteReadsFasterAndSlower()
    {
        var slower = ProfileSpeech.Profile(ProfileSpeech.Flite("slt", ProfileSpeech.Sentence, "tempo", "0.6"), new VoiceProfileBaseline());
        var faster = ProfileSpeech.Profile(ProfileSpeech.Flite("slt", ProfileSpeech.Sentence, "tempo", "1.6"), new VoiceProfileBaseline());
        Assert.Equal("slow", VoiceProfile.Top(slower.SpeakingRate));
        Assert.Equal("fast", VoiceProfile.Top(faster.SpeakingRate));
        // sox tempo keeps pitch: both within a semitone.
        Assert.True(Math.Abs(Semitones(slower, faster)) < 1);
    }

    [Fact]
    public void WhisperVariantReadsWhispering()
    {
        var whisper = ProfileSpeech.Profile(ProfileSpeech.Espeak(voice: "en-us+whisper"), new VoiceProfileBaseline());
        var voiced = ProfileSpeech.Profile(ProfileSpeech.Espeak(), new VoiceProfileBaseline());

        Assert.Equal("whispering", VoiceProfile.Top(whisper.VocalStyle));
        Assert.True(whisper.VocalStyle[0].Confidence > 0.8);
        Assert.True(whisper.Features.VoicedRatio < 0.3);
        Assert.True(whisper.Features.HighBandRatio > voiced.Features.HighBandRatio);
        Assert.Equal(VoiceProfile.Unknown, VoiceProfile.Top(whisper.Pitch)); // no voiced frames, no pitch to report

        Assert.DoesNotContain(voiced.VocalStyle, l => l.Label == "whispering" && l.Confidence > 0.2);
        Assert.True(voiced.Features.VoicedRatio > 0.5);
    }

    [Fact]
    public void AmplitudeReadsSoftAndLoud()
    {
        var soft = ProfileSpeech.Profile(ProfileSpeech.Espeak(amplitude: 30), new VoiceProfileBaseline());
        var normal = ProfileSpeech.Profile(ProfileSpeech.Espeak(amplitude: 100), new VoiceProfileBaseline());
        var loud = ProfileSpeech.Profile(ProfileSpeech.Espeak(amplitude: 200), new VoiceProfileBaseline());

        Assert.True(soft.Features.LevelDbfs < normal.Features.LevelDbfs - 6);
        Assert.True(normal.Features.LevelDbfs < loud.Features.LevelDbfs - 3);
        Assert.Equal("soft", VoiceProfile.Top(soft.VocalStyle));
        Assert.Equal("neutral", VoiceProfile.Top(normal.VocalStyle));
        Assert.DoesNotContain(loud.VocalStyle, l => l.Label == "soft");

        // espeak-ng's -a 200 is ~ −19 dBFS; 6 dB more (sox limiter) is a shouting-level −13 dBFS.
        var louder = ProfileSpeech.Profile(ProfileSpeech.Flite("slt", ProfileSpeech.Sentence, "gain", "-l", "6"), new VoiceProfileBaseline());
        Assert.Equal("loud", VoiceProfile.Top(louder.VocalStyle));
    }

    [Fact]
    public void LowSlowSoftReadsSadAndHighFastLoudReadsExcited()
    {
        var baseline = new VoiceProfileBaseline();
        var normal = ProfileSpeech.Espeak();
        ProfileSpeech.Profile(normal, baseline);
        ProfileSpeech.Profile(normal, baseline);

        var neutral = ProfileSpeech.Profile(normal, baseline);
        Assert.Equal("neutral", VoiceProfile.Top(neutral.Emotion));
        Assert.True(neutral.Emotion[0].Confidence <= 0.6);

        var sad = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 15, speed: 85, amplitude: 35), baseline);
        Assert.Equal("sad", VoiceProfile.Top(sad.Emotion));

        var excited = ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 85, speed: 280, amplitude: 180), baseline);
        Assert.Equal("excited", VoiceProfile.Top(excited.Emotion));
    }

    [Fact]
    public void BackgroundNoiseInPausesIsNotTakenForWhisperOrSpeech()
    {
        // White noise at −40 dBFS RMS over the whole utterance (its pauses included).
        var clean = ProfileSpeech.Espeak();
        var random = new Random(7);
        var amplitude = 32768 * Math.Pow(10, -40 / 20.0) * Math.Sqrt(3);
        short Noisy(short s) => (short)Math.Clamp(s + (random.NextDouble() * 2 - 1) * amplitude, short.MinValue, short.MaxValue);
        var cleanProfile = ProfileSpeech.Profile(clean, new VoiceProfileBaseline());
        var noisy = ProfileSpeech.Profile([.. clean.Select(Noisy)], new VoiceProfileBaseline());

        Assert.Equal("neutral", VoiceProfile.Top(noisy.VocalStyle));
        Assert.True(noisy.Features.VoicedRatio > 0.5);
        Assert.InRange(noisy.Features.SpeechSeconds, cleanProfile.Features.SpeechSeconds * 0.9, cleanProfile.Features.SpeechSeconds * 1.1);
        Assert.True(Math.Abs(Semitones(cleanProfile, noisy)) < 0.5);
        Assert.Equal(VoiceProfile.Top(cleanProfile.SpeakingRate), VoiceProfile.Top(noisy.SpeakingRate));
    }

    [Fact]
    public void RealRecordingWithCrowdNoiseReadsVoicedAndNotFast()
    {
        // jfk.wav: 11 s of a real, slow, raised-voice speech with crowd noise and mains hum in the pauses.
        var profile = ProfileSpeech.Profile(TestAudio.Jfk16k(), new VoiceProfileBaseline(),
            "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country.");
        Assert.DoesNotContain(profile.VocalStyle, l => l.Label == "whispering" && l.Confidence > 0.2);
        Assert.True(profile.Features.VoicedRatio > 0.5);
        Assert.InRange(profile.Features.MedianF0Hz, 150, 320); // no octave-down locking onto the 60 Hz hum
        Assert.True(profile.Features.SpeechSeconds < 9.5, "pauses with crowd noise are not speech");
        Assert.NotEqual("fast", VoiceProfile.Top(profile.SpeakingRate));
    }

    [Fact]
    public void AgeAndAccentAreHonestlyUnknown()
    {
        var profile = ProfileSpeech.Profile(ProfileSpeech.Flite(), new VoiceProfileBaseline());
        Assert.Equal([new VoiceLabel("unknown", 0)], profile.Age);
        Assert.Equal([new VoiceLabel("unknown", 0)], profile.Accent);
    }

    private static double Semitones(VoiceProfile a, VoiceProfile b) =>
        12 * Math.Log2(b.Features.MedianF0Hz / a.Features.MedianF0Hz);
}
