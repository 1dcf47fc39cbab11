using System.Runtime.CompilerServices;
using MediaServer.Pipeline.Expressive;
using MediaServer.Pipeline.Tts;

namespace MediaServer.Signaling.Realtime.Inworld;

/// <summary>
/// Passes a streamed LLM reply through unchanged, but when its first real token (<paramref name="isToken"/>) has not
/// arrived within the wait, calls <c>sayFiller</c> once, in the consumer's flow (before the next item is handed
/// on), so the filler's text and audio are ordered ahead of the reply without any locking. Role-only or empty
/// chunks that arrive early do not count as the first token.
/// </summary>
public static class FillerStream
{
    /// <summary>A filler line as a plan step: shown in the transcript and spoken in a neutral style.</summary>
    public static ExpressivePlanStep Step(string line) => new(line + " ", [new SpeakSegment(line, new SpeechStyle())]);

    public static async IAsyncEnumerable<T> WithFiller<T>(
        IAsyncEnumerable<T> source,
        Func<T, bool> isToken,
        TimeSpan wait,
        Func<CancellationToken, Task> sayFiller,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(isToken);
        ArgumentNullException.ThrowIfNull(sayFiller);
        await using var items = source.GetAsyncEnumerator(cancellationToken);
        using var timer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var deadline = Task.Delay(wait, timer.Token);
        bool waiting = true;
        Task<bool>? next = null;
        try
        {
            while (true)
            {
                next = items.MoveNextAsync().AsTask();
                if (waiting && !next.IsCompleted
                    && await Task.WhenAny(next, deadline).ConfigureAwait(false) == deadline && !next.IsCompleted)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    waiting = false;
                    await sayFiller(cancellationToken).ConfigureAwait(false);
                }

                if (!await next.ConfigureAwait(false)) yield break;
                if (waiting && isToken(items.Current))
                {
                    waiting = false;
                    await timer.CancelAsync().ConfigureAwait(false);
                }

                yield return items.Current;
            }
        }
        finally
        {
            // An enumerator may not be disposed while a MoveNext is pending: let the source see the cancellation first.
            if (next is { IsCompleted: false })
            {
                await next.ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }
}
