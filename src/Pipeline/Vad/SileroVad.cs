using Microsoft.ML.OnnxRuntime;

namespace MediaServer.Pipeline.Vad;

/// <summary>
/// Silero speech probability for one 16 kHz stream. The pipeline's 20 ms frames (320 samples) are gathered into the
/// model's 32 ms windows (512 samples); each frame returns the probability of the most recent complete window, so the
/// estimate trails the audio by at most one window. Tensors are <see cref="OrtValue"/>s over arrays allocated once and
/// bound to the session through an <see cref="OrtIoBinding"/>, so inference allocates nothing per frame.
/// </summary>
public sealed class SileroVad : IVoiceActivityDetector
{
    private const float ShortToFloat = 1f / 32768f;

    private readonly InferenceSession _session;

    // [ context (64) | window (512) ]: the model's input row; the last 64 samples become the next context.
    private readonly float[] _input = new float[SileroVadModel.ContextSamples + SileroVadModel.WindowSamples];
    private readonly float[] _state = new float[SileroVadModel.StateLength];
    private readonly float[] _stateOut = new float[SileroVadModel.StateLength];
    private readonly long[] _rate = [SileroVadModel.SampleRate];
    private readonly float[] _output = new float[1];

    private readonly OrtValue _inputValue;
    private readonly OrtValue _stateValue;
    private readonly OrtValue _rateValue;
    private readonly OrtValue _outputValue;
    private readonly OrtValue _stateOutValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;

    private int _pending;
    private bool _disposed;

    internal SileroVad(SileroVadModel model)
    {
        _session = model.Session;
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [1, _input.Length]);
        _stateValue = OrtValue.CreateTensorValueFromMemory(_state, [2, 1, 128]);
        _rateValue = OrtValue.CreateTensorValueFromMemory(_rate, []);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [1, 1]);
        _stateOutValue = OrtValue.CreateTensorValueFromMemory(_stateOut, [2, 1, 128]);
        _runOptions = new RunOptions();
        _binding = _session.CreateIoBinding();
        _binding.BindInput(SileroVadModel.InputName, _inputValue);
        _binding.BindInput(SileroVadModel.StateName, _stateValue);
        _binding.BindInput(SileroVadModel.RateName, _rateValue);
        _binding.BindOutput(SileroVadModel.OutputName, _outputValue);
        _binding.BindOutput(SileroVadModel.StateOutName, _stateOutValue);
    }

    /// <summary>Probability of the last complete 32 ms window (0 before the first).</summary>
    public float Probability { get; private set; }

    /// <summary>Windows run so far (for tests and metrics).</summary>
    public long Inferences { get; private set; }

    /// <summary>Feeds 16 kHz samples (any count; 20 ms frames in the pipeline) and returns the latest probability.</summary>
    public float Process(ReadOnlySpan<short> frame)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        const int start = SileroVadModel.ContextSamples;
        foreach (short sample in frame)
        {
            _input[start + _pending++] = sample * ShortToFloat;
            if (_pending == SileroVadModel.WindowSamples)
            {
                Infer();
            }
        }

        return Probability;
    }

    public void Reset()
    {
        Array.Clear(_input);
        Array.Clear(_state);
        _pending = 0;
        Probability = 0f;
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _binding.Dispose();
        _runOptions.Dispose();
        _inputValue.Dispose();
        _stateValue.Dispose();
        _rateValue.Dispose();
        _outputValue.Dispose();
        _stateOutValue.Dispose();
    }

    private void Infer()
    {
        _session.RunWithBinding(_runOptions, _binding);
        Probability = _output[0];
        Inferences++;
        _stateOut.AsSpan().CopyTo(_state);
        _input.AsSpan(SileroVadModel.WindowSamples, SileroVadModel.ContextSamples).CopyTo(_input);
        _pending = 0;
    }
}
