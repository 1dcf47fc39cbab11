using System.Diagnostics.Metrics;

namespace MediaServer.Pipeline.Stt.Pocketsphinx;

/// <summary>
/// What the decoder pool does under load, for <c>/metrics</c> and the soak: decoders in existence (bounded by
/// <see cref="PocketsphinxOptions.MaxDecoders"/>), utterances waiting for one, and utterances refused after waiting
/// too long. Updated per utterance, never per frame.
/// </summary>
public static class PocketsphinxMetrics
{
    public const string MeterName = "MediaServer.Pipeline.Stt";

    private static readonly Meter Meter = new(MeterName);

    internal static readonly UpDownCounter<long> Decoders = Meter.CreateUpDownCounter<long>(
        "mediaserver.stt.decoders", description: "pocketsphinx decoders in existence (idle, serving or being built)");

    internal static readonly UpDownCounter<long> Waiting = Meter.CreateUpDownCounter<long>(
        "mediaserver.stt.waiting", description: "Utterances waiting for a pocketsphinx decoder");

    internal static readonly Counter<long> Shed = Meter.CreateCounter<long>(
        "mediaserver.stt.shed", description: "Utterances refused because no decoder became free in time");
}
