using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace MediaServer.Pipeline.Vad;

/// <summary>
/// The Silero VAD v5/v6 ONNX model (github.com/snakers4/silero-vad, MIT), loaded once per process and shared by every
/// stream: ONNX Runtime sessions are safe to run concurrently, and each <see cref="SileroVad"/> keeps its own
/// recurrent state and buffers. Graph (checked on load): inputs <c>input</c> float [batch, samples], <c>state</c>
/// float [2, batch, 128], <c>sr</c> int64 scalar; outputs <c>output</c> float [batch, 1] (speech probability) and
/// <c>stateN</c> (the next state). At 16 kHz the model reads 512 new samples preceded by the previous 64 (its context).
/// </summary>
public sealed partial class SileroVadModel : IDisposable
{
    public const int SampleRate = 16_000;

    /// <summary>New samples per inference at 16 kHz (32 ms).</summary>
    public const int WindowSamples = 512;

    /// <summary>Samples of the previous window prepended to each input at 16 kHz.</summary>
    public const int ContextSamples = 64;

    /// <summary>Floats in the recurrent state [2, 1, 128].</summary>
    public const int StateLength = 2 * 128;

    internal const string InputName = "input";
    internal const string StateName = "state";
    internal const string RateName = "sr";
    internal const string OutputName = "output";
    internal const string StateOutName = "stateN";

    private readonly InferenceSession _session;

    /// <summary>Loads the model from <paramref name="modelPath"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The graph does not have Silero's inputs and outputs.</exception>
    public SileroVadModel(string modelPath, ILogger<SileroVadModel>? logger = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(modelPath);
        if (!File.Exists(modelPath))
        {
            throw new FileNotFoundException("Silero VAD model not found.", modelPath);
        }

        // One thread per inference: a 32 ms window costs well under a millisecond, and parallelism comes from the
        // many streams running at once, not from splitting one tiny graph across cores.
        using var options = new SessionOptions
        {
            IntraOpNumThreads = 1,
            InterOpNumThreads = 1,
            ExecutionMode = ExecutionMode.ORT_SEQUENTIAL,
            GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL,
        };
        _session = new InferenceSession(modelPath, options);
        try
        {
            Validate(_session);
        }
        catch
        {
            _session.Dispose();
            throw;
        }

        LogLoaded(logger ?? NullLogger<SileroVadModel>.Instance, modelPath);
    }

    internal InferenceSession Session => _session;

    /// <summary>A detector for one 16 kHz stream; dispose it when the stream ends.</summary>
    public SileroVad CreateStream() => new(this);

    public void Dispose() => _session.Dispose();

    private static void Validate(InferenceSession session)
    {
        Expect(session.InputMetadata, InputName, TensorElementType.Float);
        Expect(session.InputMetadata, StateName, TensorElementType.Float);
        Expect(session.InputMetadata, RateName, TensorElementType.Int64);
        Expect(session.OutputMetadata, OutputName, TensorElementType.Float);
        Expect(session.OutputMetadata, StateOutName, TensorElementType.Float);
    }

    private static void Expect(IReadOnlyDictionary<string, NodeMetadata> nodes, string name, TensorElementType type)
    {
        if (!nodes.TryGetValue(name, out NodeMetadata? node) || node.ElementDataType != type)
        {
            throw new InvalidDataException($"Not a Silero VAD v5/v6 model: expected a {type} tensor named '{name}'.");
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "Silero VAD model loaded from {ModelPath}")]
    private static partial void LogLoaded(ILogger logger, string modelPath);
}
