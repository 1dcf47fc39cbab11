using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace MediaServer.Signaling.Telemetry;

/// <summary>
/// The server's metrics and traces, on the platform's own instruments (<see cref="Meter"/> and
/// <see cref="ActivitySource"/>); the host exports them over OTLP and on <c>/metrics</c>. Names follow the
/// OpenTelemetry convention (dotted, unit in the instrument, not the name).
/// </summary>
public static class RealtimeTelemetry
{
    public const string Name = "MediaServer.Realtime";

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Responses by final status (<c>completed</c>, <c>cancelled</c>, <c>incomplete</c>, <c>failed</c>).</summary>
    public static readonly Counter<long> Responses = Meter.CreateCounter<long>("mediaserver.responses", description: "Responses by final status");

    /// <summary>Responses cancelled because the user started speaking.</summary>
    public static readonly Counter<long> BargeIns = Meter.CreateCounter<long>("mediaserver.barge_ins", description: "Responses interrupted by the user");

    /// <summary><c>error</c> events sent, by code.</summary>
    public static readonly Counter<long> Errors = Meter.CreateCounter<long>("mediaserver.errors", description: "Error events sent to clients, by code");

    /// <summary>User turns committed, by transport.</summary>
    public static readonly Counter<long> Turns = Meter.CreateCounter<long>("mediaserver.turns", description: "User turns committed");

    /// <summary>From the end of the user's turn (commit) to the agent's first audio leaving the server.</summary>
    public static readonly Histogram<double> TurnLatency = Meter.CreateHistogram<double>(
        "mediaserver.turn.latency", unit: "ms", description: "End of user turn to first agent audio");
}
