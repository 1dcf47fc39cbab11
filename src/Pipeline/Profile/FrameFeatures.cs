namespace MediaServer.Pipeline.Profile;

/// <summary>
/// Per-frame measurements of one turn, stored in pooled arrays (structure of arrays) sized for
/// <see cref="Capacity"/> frames; frames beyond it are counted but not stored (the profile then describes the
/// first minute of a long turn).
/// </summary>
internal sealed class FrameFeatures : IDisposable
{
    /// <summary>60 s of 20 ms frames: longer user turns are rare and the first minute characterises them.</summary>
    public const int Capacity = 3000;

    public FrameFeatures()
    {
        LevelDb = System.Buffers.ArrayPool<float>.Shared.Rent(Capacity);
        F0Hz = System.Buffers.ArrayPool<float>.Shared.Rent(Capacity);
        HighBand = System.Buffers.ArrayPool<float>.Shared.Rent(Capacity);
        Scratch = System.Buffers.ArrayPool<float>.Shared.Rent(Capacity);
        Active = System.Buffers.ArrayPool<bool>.Shared.Rent(Capacity);
    }

    /// <summary>Frame level in dBFS (RMS relative to full scale).</summary>
    public float[] LevelDb { get; private set; }

    /// <summary>F0 in Hz, 0 when unvoiced or silent.</summary>
    public float[] F0Hz { get; private set; }

    /// <summary>Energy of the first difference over the frame energy (0..4; ~0.1 voiced vowels, ~1+ noise).</summary>
    public float[] HighBand { get; private set; }

    /// <summary>Working space for medians and the smoothed envelope.</summary>
    public float[] Scratch { get; private set; }

    /// <summary>Per-frame speech gate, filled when a profile is computed.</summary>
    public bool[] Active { get; private set; }

    /// <summary>Frames stored.</summary>
    public int Count { get; set; }

    public bool Disposed { get; private set; }

    public void Dispose()
    {
        if (Disposed) return;
        Disposed = true;
        System.Buffers.ArrayPool<float>.Shared.Return(LevelDb);
        System.Buffers.ArrayPool<float>.Shared.Return(F0Hz);
        System.Buffers.ArrayPool<float>.Shared.Return(HighBand);
        System.Buffers.ArrayPool<float>.Shared.Return(Scratch);
        System.Buffers.ArrayPool<bool>.Shared.Return(Active);
        LevelDb = F0Hz = HighBand = Scratch = [];
        Active = [];
        Count = 0;
    }
}
