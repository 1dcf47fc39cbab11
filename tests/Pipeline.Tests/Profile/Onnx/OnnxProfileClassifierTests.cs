using System.Text.Json;
using MediaServer.Pipeline.Profile;
using MediaServer.Pipeline.Profile.Onnx;

namespace MediaServer.Pipeline.Tests.Profile.Onnx;

/// <summary>
/// The ONNX plug-in runs real ONNX files that the tests write themselves (<see cref="OnnxTestModel"/>): linear
/// classifiers with fixed weights, so a known input gives a known label and probability.
/// </summary>
public sealed class OnnxProfileClassifierTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("onnx-profile-").FullName;

    [Fact]
    public void KnownFeatureVectorGivesKnownLabelAndProbability()
    {
        using var classifier = new OnnxProfileClassifier("emotion", Options(Write("emotion.onnx", OnnxTestModel.PitchEmotion()), "calm", "excited"));
        var features = new float[VoiceFeatureVector.Length];

        features[1] = 150; // logits (0, 10): softmax gives excited 1/(1+e^-10)
        var high = classifier.Classify(features);
        Assert.Equal("excited", high[0].Label);
        Assert.Equal(1 / (1 + Math.Exp(-10)), high[0].Confidence, 4);

        features[1] = 95; // logits (0, -1)
        var low = classifier.Classify(features);
        Assert.Equal("calm", low[0].Label);
        Assert.Equal(1 / (1 + Math.Exp(-1)), low[0].Confidence, 4);
        Assert.Equal("excited", low[1].Label);
    }

    [Fact]
    public void FeatureVectorFollowsTheDocumentedOrder()
    {
        var f = new VoiceFeatures(1.5, 123, -2, true, -22, 4, 0.8, 0.3, 4.5, 5.5, 5.1);
        var v = new float[VoiceFeatureVector.Length];
        VoiceFeatureVector.Write(f, v);
        Assert.Equal([1.5f, 123f, -2f, 1f, -22f, 4f, 0.8f, 0.3f, 4.5f, 5.5f, 5.1f], v);
        Assert.Equal(VoiceFeatureVector.Length, VoiceFeatureVector.Names.Count);
    }

    [Fact]
    public void ModelReplacesTheHeuristicDimensionOnRealSpeech()
    {
        var options = new VoiceProfileOptions();
        options.Classifiers["emotion"] = Options(Write("emotion.onnx", OnnxTestModel.PitchEmotion()), "calm", "excited");
        var profiler = ClassifyingVoiceProfiler.Create(options);
        Assert.IsType<ClassifyingVoiceProfiler>(profiler);

        // espeak-ng -p 80 speaks near 137 Hz, -p 20 near 77 Hz (AcousticVoiceProfilerTests).
        var high = Run(profiler, ProfileSpeech.Espeak(pitch: 80));
        var low = Run(profiler, ProfileSpeech.Espeak(pitch: 20));
        Assert.Equal("excited", VoiceProfile.Top(high.Emotion));
        Assert.Equal("calm", VoiceProfile.Top(low.Emotion));
        Assert.True(high.Emotion[0].Confidence > 0.9, ProfileSpeech.Describe(high));
        Assert.DoesNotContain(high.Emotion, l => l.Label == "neutral"); // the heuristic's labels are gone

        // The other dimensions are still the acoustic profiler's.
        Assert.Equal(VoiceProfile.Top(ProfileSpeech.Profile(ProfileSpeech.Espeak(pitch: 80), new VoiceProfileBaseline()).SpeakingRate), VoiceProfile.Top(high.SpeakingRate));
    }

    [Fact]
    public void WaveformModelHearsLoudAndQuietAndAddsANewDimension()
    {
        // logit(loud) = 1000·mean(x²) − 5: speech near −20 dBFS (power 0.01) reads loud, near −45 dBFS quiet.
        var options = new VoiceProfileOptions();
        options.Classifiers["loudness"] = Options(Write("loudness.onnx", OnnxTestModel.PowerSoftmax([0f, 1000f], [0f, -5f])), "quiet", "loud").AsWaveform();
        using var profiler = (ClassifyingVoiceProfiler)ClassifyingVoiceProfiler.Create(options);

        var loud = Run(profiler, ProfileSpeech.Flite(soxEffects: ["norm", "-3"]));
        var quiet = Run(profiler, ProfileSpeech.Flite(soxEffects: ["norm", "-40"]));
        Assert.Equal("loud", VoiceProfile.Top(loud.Extra["loudness"]));
        Assert.Equal("quiet", VoiceProfile.Top(quiet.Extra["loudness"]));

        using var json = JsonDocument.Parse(Json(loud));
        Assert.Equal("loud", json.RootElement.GetProperty("loudness")[0].GetProperty("label").GetString());
        Assert.Contains("loudness=loud", loud.ToContextNote(), StringComparison.Ordinal);
    }

    [Fact]
    public void TopNAndMinimumConfidenceTrimTheList()
    {
        var w = new float[VoiceFeatureVector.Length, 4];
        var options = Options(Write("four.onnx", OnnxTestModel.LinearSoftmax(w, [3f, 2f, 0f, -6f])), "a", "b", "c", "d");
        options.TopN = 3;
        options.MinConfidence = 0.05;
        using var classifier = new OnnxProfileClassifier("style", options);
        var labels = classifier.Classify(new float[VoiceFeatureVector.Length]);
        // softmax(3, 2, 0, -6) = 0.705, 0.259, 0.035, 0.0001: c falls under 0.05, d under both limits.
        Assert.Equal(["a", "b"], labels.Select(l => l.Label));
    }

    [Fact]
    public void ProbabilityOutputsAreUsedAsTheyAre()
    {
        // No Softmax node: the model outputs features·W + B = (0.25, 0.75) directly.
        var w = new float[VoiceFeatureVector.Length, 2];
        var options = Options(Write("probs.onnx", OnnxTestModel.LinearSoftmax(w, [0.25f, 0.75f], softmax: false)), "no", "yes");
        using var classifier = new OnnxProfileClassifier("agree", options);
        var labels = classifier.Classify(new float[VoiceFeatureVector.Length]);
        Assert.Equal(("yes", 0.75), (labels[0].Label, Math.Round(labels[0].Confidence, 3)));
    }

    [Fact]
    public void MissingModelIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxProfileClassifier("emotion", Options(Path.Combine(_dir, "nope.onnx"), "a", "b")));
        Assert.Contains("MediaServer:VoiceProfile:Classifiers:emotion", e.Message, StringComparison.Ordinal);
        Assert.Contains("not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void GarbageFileIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxProfileClassifier("emotion", Options(Write("junk.onnx", [1, 2, 3, 4, 5]), "a", "b")));
        Assert.Contains("not a loadable ONNX model", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WrongInputWidthIsAClearError()
    {
        var w = new float[5, 2];
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxProfileClassifier("emotion", Options(Write("five.onnx", OnnxTestModel.LinearSoftmax(w, [0f, 0f])), "a", "b")));
        Assert.Contains("takes 5 values but the feature vector has 11", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LabelCountMismatchIsAClearError()
    {
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxProfileClassifier("emotion", Options(Write("e.onnx", OnnxTestModel.PitchEmotion()), "a", "b", "c")));
        Assert.Contains("2 values per row but 3 labels", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UndeclaredOutputWidthIsStillChecked()
    {
        // The output width is not declared ([1, ?]); ONNX Runtime infers it from the weights, or the test inference
        // finds it: either way 2 values against 3 labels stops the load.
        var options = Options(Write("w.onnx", OnnxTestModel.PowerSoftmax([0f, 1f], [0f, 0f], dynamicOutput: true)), "a", "b", "c").AsWaveform();
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxProfileClassifier("x", options));
        Assert.True(e.Message.Contains("2 values", StringComparison.Ordinal) && e.Message.EndsWith("3 labels are configured.", StringComparison.Ordinal), e.Message);
    }

    [Fact]
    public void BadInputKindIsAClearError()
    {
        var options = Options(Write("e.onnx", OnnxTestModel.PitchEmotion()), "a", "b");
        options.Input = "spectrogram";
        var e = Assert.Throws<InvalidOperationException>(() => new OnnxProfileClassifier("emotion", options));
        Assert.Contains("Input must be 'features' or 'waveform16k'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NoClassifiersMeansTheAcousticProfiler() =>
        Assert.IsType<AcousticVoiceProfiler>(ClassifyingVoiceProfiler.Create(new VoiceProfileOptions()));

    private static VoiceProfile Run(IVoiceProfiler profiler, short[] pcm)
    {
        using var analyzer = profiler.Start(new VoiceProfileBaseline());
        for (var i = 0; i < pcm.Length; i += 320) analyzer.Write(pcm.AsSpan(i, Math.Min(320, pcm.Length - i)));
        return analyzer.Complete(ProfileSpeech.Sentence);
    }

    private static string Json(VoiceProfile profile)
    {
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream)) profile.WriteTo(writer);
        return System.Text.Encoding.UTF8.GetString(stream.ToArray());
    }

    private static ProfileClassifierOptions Options(string path, params string[] labels) => new() { ModelPath = path, Labels = [.. labels] };

    private string Write(string name, byte[] model)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllBytes(path, model);
        return path;
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}

internal static class ProfileClassifierOptionsExtensions
{
    public static ProfileClassifierOptions AsWaveform(this ProfileClassifierOptions options)
    {
        options.Input = ProfileClassifierInput.Waveform16k;
        return options;
    }
}
