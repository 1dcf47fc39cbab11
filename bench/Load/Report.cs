using System.Globalization;
using System.Text;

namespace MediaServer.Load;

/// <summary>Markdown tables of ramp steps and their summary.</summary>
public static class Report
{
    public const string Header =
        "| transport | engines | N | live | CPU/call (% core) | RSS/call (MB) | frame p50 (ms) | frame p99 (ms) | frames | late >20 ms | missed | turn p50 (ms) | turn p99 (ms) | turns | answers | errors | driver late | pass |\n" +
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|";

    public static string Row(StepResult r) => string.Create(CultureInfo.InvariantCulture,
        $"| {Transport(r.Scenario)} | {r.Engine} | {r.Calls} | {r.Live} | {r.CpuPerCallPercent:F1} | {r.RssPerCallMb:F1} | {F(r.FrameP50Ms)} | {F(r.FrameP99Ms)} | {r.Frames:F0} | {r.LateFrames:F0} | {r.MissedFrames:F0} | {F0(r.TurnP50Ms)} | {F0(r.TurnP99Ms)} | {r.Turns:F0} | {r.Answers} | {r.Errors} | {r.DriverLateFrames} | {(r.Pass ? "yes" : "**no**")}{(r.Note.Length > 0 ? " " + Clean(r.Note) : "")} |");

    public static string Summary(IEnumerable<StepResult> results)
    {
        var sb = new StringBuilder();
        sb.AppendLine("| transport | engines | largest N passing | largest N with p99 < 20 ms | largest N conversational | CPU/call at N (% core) | RSS/call at N (MB) | frame p99 at N (ms) | turn p50 at N (ms) | first failing N: why |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|");
        foreach (var group in results.GroupBy(r => (r.Scenario, r.Engine)))
        {
            // The bar holds for N only if it held at every smaller step too.
            var best = group.OrderBy(r => r.Calls).TakeWhile(r => r.Pass).LastOrDefault();
            var fail = group.Where(r => !r.Pass).MinBy(r => r.Calls);
            var p99 = group.OrderBy(r => r.Calls).TakeWhile(r => r.Live >= r.Calls && r.FrameP99Ms < 20).LastOrDefault();
            var talk = group.OrderBy(r => r.Calls).TakeWhile(r => r.Conversational).LastOrDefault();
            var shown = best ?? p99;
            sb.AppendLine(string.Create(CultureInfo.InvariantCulture,
                $"| {Transport(group.Key.Scenario)} | {group.Key.Engine} | {(best is null ? "none" : best.Calls.ToString(CultureInfo.InvariantCulture))} | {(p99 is null ? "none" : p99.Calls.ToString(CultureInfo.InvariantCulture))} | {(talk is null ? "none" : talk.Calls.ToString(CultureInfo.InvariantCulture))} | {(shown is null ? "" : shown.CpuPerCallPercent.ToString("F1", CultureInfo.InvariantCulture))} | {(shown is null ? "" : shown.RssPerCallMb.ToString("F1", CultureInfo.InvariantCulture))} | {(shown is null ? "" : F(shown.FrameP99Ms))} | {(shown is null ? "" : F0(shown.TurnP50Ms))} | {(fail is null ? "not reached" : $"{fail.Calls}: {Why(fail)}")} |"));
        }

        return sb.ToString();
    }

    public static string Why(StepResult r)
    {
        var reasons = new List<string>();
        if (r.Live < r.Calls)
        {
            reasons.Add($"{r.Live}/{r.Calls} up");
        }

        if (!(r.FrameP99Ms < 20))
        {
            reasons.Add($"p99 {F(r.FrameP99Ms)} ms");
        }

        if (r.MissedFrames > 0)
        {
            reasons.Add($"{r.MissedFrames:F0} missed");
        }

        if (r.Errors > 0)
        {
            reasons.Add($"{r.Errors} errors");
        }

        if (r.Turns <= 0)
        {
            reasons.Add("no turn answered");
        }

        return string.Join(", ", reasons);
    }

    public static string Transport(string scenario) => scenario switch
    {
        "ws" => "WebSocket (PCM 24 kHz)",
        "sip" => "SIP (G.711 µ-law, SIPp)",
        _ => "WebRTC (Opus, libwebrtc)",
    };

    private static string F(double v) => double.IsNaN(v) ? "-" : v.ToString("F1", CultureInfo.InvariantCulture);

    private static string F0(double v) => double.IsNaN(v) ? "-" : v.ToString("F0", CultureInfo.InvariantCulture);

    private static string Clean(string s) => s.Replace('|', '/').Replace('\n', ' ').Replace('\r', ' ');
}
