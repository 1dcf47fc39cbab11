using MediaServer.Pipeline.Expressive;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Pipeline.Tests.Expressive;

public sealed class ExpressiveTagVocabularyTests
{
    [Theory]
    [InlineData("speak softly")]
    [InlineData("QUIETLY")]
    [InlineData("very quiet")]
    public void Soft_tags_lower_the_volume_only(string tag)
    {
        var style = Steering(tag);
        Assert.True(style.VolumeFactor < 0.7, $"{tag}: volume {style.VolumeFactor}");
        Assert.Equal(1, style.RateFactor);
        Assert.False(style.Whisper);
    }

    [Fact]
    public void Very_quiet_is_quieter_than_quiet()
    {
        Assert.True(Steering("very quiet").VolumeFactor < Steering("quiet").VolumeFactor);
    }

    [Theory]
    [InlineData("whisper")]
    [InlineData("Whisper in a hushed style")]
    public void Whisper_tags_whisper(string tag) => Assert.True(Steering(tag).Whisper);

    [Theory]
    [InlineData("excited")]
    [InlineData("say excitedly")]
    public void Excited_is_faster_higher_louder(string tag)
    {
        var style = Steering(tag);
        Assert.True(style.RateFactor > 1 && style.PitchFactor > 1 && style.VolumeFactor > 1, style.ToString());
    }

    [Theory]
    [InlineData("sad")]
    [InlineData("Sound Sad")]
    public void Sad_is_slower_lower_softer(string tag)
    {
        var style = Steering(tag);
        Assert.True(style.RateFactor < 1 && style.PitchFactor < 1 && style.VolumeFactor < 1, style.ToString());
    }

    [Theory]
    [InlineData("angry")]
    [InlineData("say with force")]
    public void Angry_is_louder_and_faster(string tag)
    {
        var style = Steering(tag);
        Assert.True(style.RateFactor > 1 && style.VolumeFactor > 1, style.ToString());
    }

    [Fact]
    public void Speed_tags_order_the_rate()
    {
        var extremely = Steering("extremely slowly").RateFactor;
        var very = Steering("very slow").RateFactor;
        var slowly = Steering("slowly").RateFactor;
        var quickly = Steering("speak quickly").RateFactor;
        Assert.True(extremely < very && very < slowly && slowly < 1 && quickly > 1, $"{extremely} {very} {slowly} {quickly}");
        Assert.Equal(quickly, Steering("quickly").RateFactor);
    }

    [Fact]
    public void Pitch_and_loudness_tags()
    {
        Assert.True(Steering("in a low tone").PitchFactor < 1);
        Assert.True(Steering("say in a high pitch").PitchFactor > 1);
        Assert.True(Steering("loud").VolumeFactor > 1);
        Assert.True(Steering("in a loud voice").VolumeFactor > 1);
        Assert.Equal(new SpeechStyle(), Steering("speak conversationally"));
    }

    [Fact]
    public void Free_form_tags_map_by_keyword()
    {
        var style = Steering("warm and reassuring, speaking slowly and gently");
        Assert.True(style.RateFactor < 0.8 && style.VolumeFactor < 0.6, style.ToString());
        Assert.True(Steering("speak as if barely holding back rage").VolumeFactor > 1);
    }

    [Theory]
    [InlineData("sigh", NonVerbalKind.Sigh)]
    [InlineData("Laugh", NonVerbalKind.Laugh)]
    [InlineData("laughs softly", NonVerbalKind.Laugh)]
    [InlineData("hmm", NonVerbalKind.Hmm)]
    [InlineData("hmmm", NonVerbalKind.Hmm)]
    [InlineData("breathe", NonVerbalKind.Breathe)]
    [InlineData("deep breath", NonVerbalKind.Breathe)]
    [InlineData("clear throat", NonVerbalKind.ClearThroat)]
    [InlineData("clears throat", NonVerbalKind.ClearThroat)]
    [InlineData("cough", NonVerbalKind.Cough)]
    public void Non_verbal_tags_name_sounds(string tag, NonVerbalKind kind)
    {
        var meaning = ExpressiveTagVocabulary.Classify(tag);
        Assert.Equal(ExpressiveTagKind.NonVerbal, meaning.Kind);
        Assert.Equal(kind, meaning.Sound);
        Assert.Null(meaning.Style);
    }

    [Theory]
    [InlineData("citation needed")]
    [InlineData("1")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData(null)]
    public void Other_tags_are_unknown(string? tag) => Assert.Equal(ExpressiveTagKind.Unknown, ExpressiveTagVocabulary.Classify(tag).Kind);

    [Fact]
    public void Prompt_guide_lists_every_canonical_tag()
    {
        var guide = ExpressiveTagVocabulary.DescribeForPrompt();
        foreach (var tag in ExpressiveTagVocabulary.SteeringExamples.Concat(ExpressiveTagVocabulary.NonVerbalExamples))
        {
            Assert.Contains($"[{tag}]", guide, StringComparison.Ordinal);
            Assert.NotEqual(ExpressiveTagKind.Unknown, ExpressiveTagVocabulary.Classify(tag).Kind);
        }
    }

    private static SpeechStyle Steering(string tag)
    {
        var meaning = ExpressiveTagVocabulary.Classify(tag);
        Assert.Equal(ExpressiveTagKind.Steering, meaning.Kind);
        return Assert.IsType<SpeechStyle>(meaning.Style);
    }
}
