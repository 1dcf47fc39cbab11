using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MediaServer.Pipeline.Profile.Onnx;

/// <summary>
/// One voice-profile dimension classified by an ONNX model through ONNX Runtime: the turn's
/// <see cref="VoiceFeatureVector"/> or its 16 kHz waveform goes in, one score per configured label comes out, and the
/// scores (softmaxed when they are logits) become that dimension's <c>{label, confidence}</c> list. Everything a
/// misconfiguration can break is checked when it loads (file, labels, input kind, tensor types and ranks, and one
/// inference on silence whose output must have one value per label), so a bad model stops the server at start with
/// the configuration key in the message instead of failing on a caller's turn. The session is shared by every call;
/// ONNX Runtime sessions may run concurrently.
/// </summary>
public sealed class OnnxProfileClassifier : IDisposable
{
    private readonly InferenceSession _session;
    private readonly string _inputName;
    private readonly string _outputName;
    private readonly int _inputRank;
    private readonly int _fixedLength;
    private readonly string[] _labels;
    private readonly ProfileClassifierOptions _options;

    /// <summary>Loads and checks the model.</summary>
    /// <param name="dimension">The profile dimension it labels (the configuration key).</param>
    /// <exception cref="InvalidOperationException">The configuration or the model does not fit; the message says which
    /// setting and why.</exception>
    public OnnxProfileClassifier(string dimension, ProfileClassifierOptions options)
    {
        ArgumentException.ThrowIfNullOrEmpty(dimension);
        ArgumentNullException.ThrowIfNull(options);
        Dimension = VoiceProfile.Canonical(dimension);
        _options = options;
        string key = $"{VoiceProfileOptions.Section}:Classifiers:{dimension}";
        if (string.IsNullOrWhiteSpace(options.ModelPath)) throw Bad(key, "ModelPath is required.");
        if (options.Labels.Count == 0 || options.Labels.Any(string.IsNullOrWhiteSpace)) throw Bad(key, "Labels must list one non-empty label per model output.");
        if (options.Input is not (ProfileClassifierInput.Features or ProfileClassifierInput.Waveform16k))
        {
            throw Bad(key, $"Input must be '{ProfileClassifierInput.Features}' or '{ProfileClassifierInput.Waveform16k}', not '{options.Input}'.");
        }

        if (options.Output is not ("auto" or "logits" or "probabilities")) throw Bad(key, $"Output must be auto, logits or probabilities, not '{options.Output}'.");
        if (options.TopN < 1) throw Bad(key, "TopN must be at least 1.");
        string path = Path.GetFullPath(options.ModelPath);
        if (!File.Exists(path)) throw Bad(key, $"model file not found: {path}");

        _labels = [.. options.Labels];
        using var sessionOptions = new SessionOptions
        {
            // Runs once per user turn; calls run in parallel, a single turn needs no more than one thread.
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
        };
        try
        {
            _session = new InferenceSession(path, sessionOptions);
        }
        catch (OnnxRuntimeException ex)
        {
            throw Bad(key, $"{path} is not a loadable ONNX model: {ex.Message}");
        }

        try
        {
            (_inputName, var input) = Pick(_session.InputMetadata, _session.InputNames, options.InputName, key, "input");
            (_outputName, var output) = Pick(_session.OutputMetadata, _session.OutputNames, options.OutputName, key, "output");
            if (input.ElementDataType != TensorElementType.Float || output.ElementDataType != TensorElementType.Float)
            {
                throw Bad(key, $"input '{_inputName}' and output '{_outputName}' must be float tensors (got {input.ElementDataType}, {output.ElementDataType}).");
            }

            var dims = input.Dimensions;
            _inputRank = dims.Length;
            if (_inputRank is not (1 or 2) || (_inputRank == 2 && dims[0] > 1))
            {
                throw Bad(key, $"input '{_inputName}' must have shape [n] or [1, n], not [{string.Join(", ", dims)}].");
            }

            _fixedLength = dims[^1];
            if (InputKind == ProfileClassifierInput.Features && _fixedLength > 0 && _fixedLength != VoiceFeatureVector.Length)
            {
                throw Bad(key, $"input '{_inputName}' takes {_fixedLength} values but the feature vector has {VoiceFeatureVector.Length} ({string.Join(", ", VoiceFeatureVector.Names)}).");
            }

            var outDims = output.Dimensions;
            if (outDims.Length > 0 && outDims[^1] > 0 && outDims[^1] != _labels.Length)
            {
                throw Bad(key, $"output '{_outputName}' has {outDims[^1]} values per row but {_labels.Length} labels are configured.");
            }

            // Dynamic shapes can only be checked by running: one inference on silence.
            int probe = InputKind == ProfileClassifierInput.Features ? VoiceFeatureVector.Length : _fixedLength > 0 ? _fixedLength : 16_000;
            int produced = Run(new float[probe]).Length;
            if (produced != _labels.Length)
            {
                throw Bad(key, $"output '{_outputName}' produced {produced} values but {_labels.Length} labels are configured.");
            }
        }
        catch (OnnxRuntimeException ex)
        {
            _session.Dispose();
            throw Bad(key, $"a test inference failed (wrong input shape?): {ex.Message}");
        }
        catch
        {
            _session.Dispose();
            throw;
        }
    }

    /// <summary>The dimension labelled, in our spelling (<c>vocal_style</c>).</summary>
    public string Dimension { get; }

    /// <summary><see cref="ProfileClassifierInput.Features"/> or <see cref="ProfileClassifierInput.Waveform16k"/>.</summary>
    public string InputKind => _options.Input;

    /// <summary>Most 16 kHz samples a waveform model is given.</summary>
    public int MaxWaveformSamples => (int)Math.Clamp(_options.MaxWaveformSeconds * 16_000, 16_000, 600 * 16_000);

    /// <summary>Classifies one input (the feature vector, or 16 kHz samples in −1..1); labels best first.</summary>
    /// <exception cref="InvalidDataException">The model produced the wrong number of values.</exception>
    public IReadOnlyList<VoiceLabel> Classify(ReadOnlySpan<float> input)
    {
        var scores = Run(input);
        if (scores.Length != _labels.Length)
        {
            throw new InvalidDataException($"The {Dimension} classifier produced {scores.Length} values for {_labels.Length} labels.");
        }

        ToProbabilities(scores, _options.Output);
        var ranked = new List<VoiceLabel>(_labels.Length);
        for (int i = 0; i < scores.Length; i++)
        {
            ranked.Add(new VoiceLabel(_labels[i], scores[i]));
        }

        ranked.Sort((a, b) => b.Confidence.CompareTo(a.Confidence));
        var kept = new List<VoiceLabel>(Math.Min(_options.TopN, ranked.Count));
        foreach (var label in ranked)
        {
            if (kept.Count == _options.TopN || (kept.Count > 0 && label.Confidence < _options.MinConfidence)) break;
            kept.Add(label);
        }

        return kept;
    }

    /// <summary>Turns scores into probabilities in place: softmax for logits; as-is (clamped) for probabilities.</summary>
    internal static void ToProbabilities(Span<float> scores, string mode)
    {
        bool probabilities = mode switch
        {
            "probabilities" => true,
            "logits" => false,
            _ => LooksLikeProbabilities(scores),
        };
        if (probabilities)
        {
            foreach (ref var s in scores) s = float.IsNaN(s) ? 0 : Math.Clamp(s, 0, 1);
            return;
        }

        float max = float.NegativeInfinity;
        foreach (var s in scores) max = Math.Max(max, s);
        double sum = 0;
        foreach (ref var s in scores)
        {
            s = MathF.Exp(s - max);
            sum += s;
        }

        foreach (ref var s in scores) s = sum > 0 && !double.IsNaN(sum) ? (float)(s / sum) : 0;
    }

    private static bool LooksLikeProbabilities(ReadOnlySpan<float> scores)
    {
        double sum = 0;
        foreach (var s in scores)
        {
            if (!(s >= 0 && s <= 1)) return false;
            sum += s;
        }

        return Math.Abs(sum - 1) <= 0.01;
    }

    private float[] Run(ReadOnlySpan<float> input)
    {
        int length = _fixedLength > 0 ? _fixedLength : input.Length;
        var data = new float[Math.Max(1, length)];
        input[..Math.Min(input.Length, data.Length)].CopyTo(data);
        int[] shape = _inputRank == 2 ? [1, data.Length] : [data.Length];
        var tensor = new DenseTensor<float>(data, shape);
        using var results = _session.Run([NamedOnnxValue.CreateFromTensor(_inputName, tensor)], [_outputName]);
        return [.. results[0].AsEnumerable<float>()];
    }

    private static (string Name, NodeMetadata Node) Pick(IReadOnlyDictionary<string, NodeMetadata> nodes, IReadOnlyList<string> order, string? wanted, string key, string what)
    {
        if (wanted is not null)
        {
            return nodes.TryGetValue(wanted, out var node)
                ? (wanted, node)
                : throw Bad(key, $"the model has no {what} named '{wanted}' (it has: {string.Join(", ", nodes.Keys)}).");
        }

        if (order.Count == 0) throw Bad(key, $"the model has no {what}.");
        return (order[0], nodes[order[0]]);
    }

    private static InvalidOperationException Bad(string key, string why) => new($"{key}: {why}");

    public void Dispose() => _session.Dispose();
}
