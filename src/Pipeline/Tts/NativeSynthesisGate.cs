using System.Runtime.InteropServices;

namespace MediaServer.Pipeline.Tts;

/// <summary>
/// The one gate every native synthesis in the process passes through, flite and espeak-ng alike. Both engines keep
/// process-global state (espeak-ng its voice, parameters and callback; flite the features of its shared voices),
/// and both draw noise for unvoiced sounds from glibc's single <c>rand()</c> sequence. Holding one gate and
/// reseeding that sequence before each sentence makes a sentence render to the same samples every time, in any
/// order, exactly as the <c>flite</c> command line renders it (a fresh process starts at seed 1): speech that tests
/// and the embedded recogniser can rely on. Both engines render tens of times faster than real time, so sessions
/// wait a few milliseconds at most.
/// </summary>
internal static partial class NativeSynthesisGate
{
    /// <summary>The seed a fresh process starts with (C standard: as if <c>srand(1)</c>).</summary>
    private const uint InitialSeed = 1;

    private static readonly SemaphoreSlim Gate = new(1, 1);

    /// <summary>Waits for the gate; dispose the result to leave. The random sequence is reseeded on entry.</summary>
    public static async ValueTask<Releaser> EnterAsync(CancellationToken cancellationToken)
    {
        await Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            SeedRandom(InitialSeed);
        }
        catch
        {
            Gate.Release();
            throw;
        }

        return default;
    }

    [LibraryImport("libc.so.6", EntryPoint = "srand")]
    private static partial void SeedRandom(uint seed);

    public readonly struct Releaser : IDisposable
    {
        public void Dispose() => Gate.Release();
    }
}
