using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace MediaServer.Pipeline.Tts;

/// <summary>
/// Runs a sentence-at-a-time synthesiser on the thread pool and streams its PCM: sentence N+1 is rendered while
/// the caller is still sending sentence N, at most <see cref="SentencesAhead"/> ahead so a cancelled answer wastes
/// little work. Cancelling the token or abandoning the enumeration stops the producer at the next sentence
/// (engines that can abort mid-sentence do so through the token they are given) and the reader stops at once.
/// </summary>
internal static class SentenceStreamer
{
    public const int SentencesAhead = 2;

    public static async IAsyncEnumerable<ReadOnlyMemory<short>> StreamAsync(
        IReadOnlyList<string> sentences,
        Func<string, CancellationToken, ValueTask<short[]>> synthesize,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        if (sentences.Count == 0) yield break;

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var token = stop.Token;
        var channel = Channel.CreateBounded<short[]>(new BoundedChannelOptions(SentencesAhead) { SingleReader = true, SingleWriter = true });
        // Never awaited (see finally); it never throws: errors go into the channel.
        _ = Task.Run(async () =>
        {
            try
            {
                foreach (var sentence in sentences)
                {
                    token.ThrowIfCancellationRequested();
                    var pcm = await synthesize(sentence, token).ConfigureAwait(false);
                    if (pcm.Length > 0) await channel.Writer.WriteAsync(pcm, token).ConfigureAwait(false);
                }

                channel.Writer.TryComplete();
            }
            catch (Exception e)
            {
                channel.Writer.TryComplete(e);
            }
        }, CancellationToken.None);

        try
        {
            await foreach (var pcm in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                // ReadAllAsync hands out already-buffered sentences without looking at the token again.
                cancellationToken.ThrowIfCancellationRequested();
                yield return pcm;
            }
        }
        finally
        {
            // Not awaited: a sentence in native synthesis cannot be interrupted, and barge-in must not wait for it.
            // The producer sees the cancelled token at its next step and ends; it never throws.
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Multiplies samples by <paramref name="gain"/> with saturation (volume styles).</summary>
    public static void ApplyGain(Span<short> pcm, double gain)
    {
        if (Math.Abs(gain - 1) < 1e-3) return;
        for (var i = 0; i < pcm.Length; i++)
        {
            pcm[i] = (short)Math.Clamp(Math.Round(pcm[i] * gain), short.MinValue, short.MaxValue);
        }
    }
}
