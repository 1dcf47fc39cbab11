using System.Runtime.InteropServices;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// One native <c>ps_decoder_t</c>. Not thread-safe: the pool hands it to one utterance at a time.
/// Building one loads the acoustic model, dictionary and language model, so it is reused across utterances.
/// </summary>
internal sealed class PocketsphinxDecoder : IDisposable
{
    /// <summary>
    /// Decoders are built one at a time: <c>ps_init</c> sets sphinxbase's process-wide log target and loads shared
    /// tables, and nothing documents it as safe to run concurrently. Building is rare (pool misses, warm-up).
    /// </summary>
    private static readonly Lock CreateGate = new();

    private IntPtr _decoder;

    private PocketsphinxDecoder(IntPtr decoder) => _decoder = decoder;

    /// <summary>Builds a decoder from <paramref name="options"/>; throws when the model cannot be loaded.</summary>
    public static PocketsphinxDecoder Create(PocketsphinxOptions options)
    {
        var args = new List<string>
        {
            "-hmm", options.Resolve(options.AcousticModel),
            "-lm", options.Resolve(options.LanguageModel),
            "-dict", options.Resolve(options.Dictionary),
            // The library prints its whole configuration and per-utterance statistics to stderr otherwise.
            "-logfn", "/dev/null",
            // The passes after the live one re-search the whole utterance at its end (PocketsphinxFinalPass).
            "-fwdflat", options.FinalPass == PocketsphinxFinalPass.Full ? "yes" : "no",
            "-bestpath", options.FinalPass == PocketsphinxFinalPass.None ? "no" : "yes",
        };
        foreach (var (name, value) in options.ExtraArguments)
        {
            args.Add(name);
            args.Add(value);
        }

        CheckModelFiles(options);

        // argv[0] is the program name in C's convention; cmd_ln_parse_r skips it.
        var argv = new IntPtr[args.Count + 1];
        try
        {
            argv[0] = Marshal.StringToCoTaskMemUTF8("mediaserver");
            for (var i = 0; i < args.Count; i++) argv[i + 1] = Marshal.StringToCoTaskMemUTF8(args[i]);

            using var _ = CreateGate.EnterScope();
            PocketsphinxNative.ErrSetLogFp(IntPtr.Zero);
            var config = PocketsphinxNative.CmdLnParseR(IntPtr.Zero, PocketsphinxNative.PsArgs(), argv.Length, argv, 1);
            if (config == IntPtr.Zero) throw new InvalidOperationException("pocketsphinx rejected its configuration");
            try
            {
                var decoder = PocketsphinxNative.PsInit(config);
                if (decoder == IntPtr.Zero) throw new InvalidOperationException("pocketsphinx could not initialise a decoder");
                return new PocketsphinxDecoder(decoder);
            }
            finally
            {
                // ps_init took its own reference.
                PocketsphinxNative.CmdLnFreeR(config);
            }
        }
        finally
        {
            foreach (var p in argv) if (p != IntPtr.Zero) Marshal.FreeCoTaskMem(p);
        }
    }

    /// <summary>Throws when a model file is missing, naming it (cheap: run at construction, not per utterance).</summary>
    public static void CheckModelFiles(PocketsphinxOptions options)
    {
        var hmm = options.Resolve(options.AcousticModel);
        if (!Directory.Exists(hmm))
            throw new FileNotFoundException($"pocketsphinx acoustic model folder not found: {hmm} (install pocketsphinx-en-us)", hmm);
        foreach (var path in new[] { options.Resolve(options.LanguageModel), options.Resolve(options.Dictionary) })
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"pocketsphinx model file not found: {path} (install pocketsphinx-en-us)", path);
        }
    }

    public void StartUtterance()
    {
        if (PocketsphinxNative.PsStartUtt(Handle) < 0) throw new InvalidOperationException("ps_start_utt failed");
    }

    /// <summary>Feeds 16 kHz samples; returns false when the decoder reports an error.</summary>
    public unsafe bool Process(ReadOnlySpan<short> pcm)
    {
        if (pcm.IsEmpty) return true;
        fixed (short* p = pcm)
        {
            return PocketsphinxNative.PsProcessRaw(Handle, p, (nuint)pcm.Length, 0, 0) >= 0;
        }
    }

    /// <summary>The current best hypothesis, or empty.</summary>
    public string Hypothesis()
    {
        var text = PocketsphinxNative.PsGetHyp(Handle, out _);
        return text == IntPtr.Zero ? string.Empty : Marshal.PtrToStringUTF8(text) ?? string.Empty;
    }

    /// <summary>Ends the utterance (runs the configured final passes); returns false on a decoder error.</summary>
    public bool EndUtterance() => PocketsphinxNative.PsEndUtt(Handle) >= 0;

    private IntPtr Handle => _decoder != IntPtr.Zero ? _decoder : throw new ObjectDisposedException(nameof(PocketsphinxDecoder));

    public void Dispose()
    {
        var d = Interlocked.Exchange(ref _decoder, IntPtr.Zero);
        if (d != IntPtr.Zero) PocketsphinxNative.PsFree(d);
    }
}
