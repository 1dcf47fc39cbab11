using System.Runtime.InteropServices;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// P/Invoke into Debian's pocketsphinx 5prealpha (<c>libpocketsphinx.so.3</c>) and sphinxbase
/// (<c>libsphinxbase.so.3</c>). Only the non-variadic entry points are bound: <c>cmd_ln_init</c> takes a
/// NULL-terminated C varargs list, which .NET cannot call portably, so the configuration goes through
/// <c>cmd_ln_parse_r</c> with an argv array instead.
/// </summary>
internal static partial class PocketsphinxNative
{
    internal const string PocketsphinxLibrary = "libpocketsphinx.so.3";
    internal const string SphinxbaseLibrary = "libsphinxbase.so.3";

    /// <summary>The argument definition table (<c>arg_t const *</c>) of every decoder option.</summary>
    [LibraryImport(PocketsphinxLibrary, EntryPoint = "ps_args")]
    internal static partial IntPtr PsArgs();

    /// <summary><c>cmd_ln_t *cmd_ln_parse_r(cmd_ln_t *inout, const arg_t *defn, int32 argc, char *argv[], int32 strict)</c>.</summary>
    [LibraryImport(SphinxbaseLibrary, EntryPoint = "cmd_ln_parse_r")]
    internal static partial IntPtr CmdLnParseR(IntPtr inout, IntPtr definitions, int argc, IntPtr[] argv, int strict);

    /// <summary>Drops one reference to a configuration; <c>ps_init</c> keeps its own.</summary>
    [LibraryImport(SphinxbaseLibrary, EntryPoint = "cmd_ln_free_r")]
    internal static partial int CmdLnFreeR(IntPtr config);

    /// <summary><c>void err_set_logfp(FILE *)</c>: NULL turns sphinxbase's own logging off.</summary>
    [LibraryImport(SphinxbaseLibrary, EntryPoint = "err_set_logfp")]
    internal static partial void ErrSetLogFp(IntPtr file);

    [LibraryImport(PocketsphinxLibrary, EntryPoint = "ps_init")]
    internal static partial IntPtr PsInit(IntPtr config);

    [LibraryImport(PocketsphinxLibrary, EntryPoint = "ps_free")]
    internal static partial int PsFree(IntPtr decoder);

    [LibraryImport(PocketsphinxLibrary, EntryPoint = "ps_start_utt")]
    internal static partial int PsStartUtt(IntPtr decoder);

    /// <summary><c>int ps_process_raw(ps_decoder_t *, int16 const *data, size_t n_samples, int no_search, int full_utt)</c>.</summary>
    [LibraryImport(PocketsphinxLibrary, EntryPoint = "ps_process_raw")]
    internal static unsafe partial int PsProcessRaw(IntPtr decoder, short* data, nuint samples, int noSearch, int fullUtterance);

    /// <summary><c>char const *ps_get_hyp(ps_decoder_t *, int32 *out_best_score)</c> (5prealpha: no utterance id).
    /// The string belongs to the decoder and is valid until the next call.</summary>
    [LibraryImport(PocketsphinxLibrary, EntryPoint = "ps_get_hyp")]
    internal static partial IntPtr PsGetHyp(IntPtr decoder, out int bestScore);

    [LibraryImport(PocketsphinxLibrary, EntryPoint = "ps_end_utt")]
    internal static partial int PsEndUtt(IntPtr decoder);
}
