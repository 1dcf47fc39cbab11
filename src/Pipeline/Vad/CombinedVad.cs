namespace MediaServer.Pipeline.Vad;

/// <summary>
/// Silero's judgement of what is speech, gated by the energy VAD's judgement of what is audible: a frame below the
/// absolute minimum level, or within <see cref="GateSnrDb"/> of the noise floor, scores 0 whatever Silero says. The
/// gate stops Silero from hearing speech in faint far-away talk or in the residue of echo cancellation, and saves the
/// session from reacting to it. Both detectors see every frame, so their state stays continuous.
/// </summary>
public sealed class CombinedVad : IVoiceActivityDetector
{
    /// <summary>Default gate: 3 dB above the floor.</summary>
    public const double DefaultGateSnrDb = 3.0;

    private readonly EnergyVad _energy;
    private readonly IVoiceActivityDetector _model;

    /// <summary>Combines the two; the instance owns both and disposes them.</summary>
    public CombinedVad(EnergyVad energy, IVoiceActivityDetector model, double gateSnrDb = DefaultGateSnrDb)
    {
        _energy = energy ?? throw new ArgumentNullException(nameof(energy));
        _model = model ?? throw new ArgumentNullException(nameof(model));
        GateSnrDb = gateSnrDb;
    }

    public double GateSnrDb { get; }

    public EnergyVad Energy => _energy;

    /// <summary>The model's own probability for the last frame, before gating.</summary>
    public float ModelProbability { get; private set; }

    /// <summary>
    /// The detector for a new stream: Silero gated by energy when a model is loaded, the energy VAD alone otherwise
    /// (the server still works, less robustly, when the model file is missing).
    /// </summary>
    public static IVoiceActivityDetector ForStream(SileroVadModel? model, EnergyVadOptions? energyOptions = null) =>
        model is null
            ? new EnergyVad(energyOptions)
            : new CombinedVad(new EnergyVad(energyOptions), model.CreateStream());

    public float Process(ReadOnlySpan<short> frame)
    {
        _energy.Process(frame);
        ModelProbability = _model.Process(frame);
        return _energy.IsBelowFloor(GateSnrDb) ? 0f : ModelProbability;
    }

    public void Reset()
    {
        _energy.Reset();
        _model.Reset();
        ModelProbability = 0f;
    }

    public void Dispose()
    {
        _energy.Dispose();
        _model.Dispose();
    }
}
