using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using MediaServer.Signaling.Telemetry;
using MediaServer.Tests.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace MediaServer.Tests.Security;

/// <summary>
/// The server's traces and metrics as an exporter sees them (OpenTelemetry's in-memory exporter on the real host):
/// a spoken turn is one <c>realtime.turn</c> span with a child per stage, and the turn, response, latency, error,
/// live-session and CPU instruments carry what happened.
/// </summary>
public sealed class TelemetryExportTests : IClassFixture<TelemetryExportTests.InstrumentedServer>
{
    private readonly InstrumentedServer _server;

    public TelemetryExportTests(InstrumentedServer server) => _server = server;

    [Fact]
    public async Task A_spoken_turn_is_one_span_with_a_child_per_stage_and_is_counted_in_the_metrics()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, new { type = "session.update", session = new { type = "realtime", instructions = "Say: It is noon." } });
        await SendAsync(socket, new { type = "input_audio_buffer.append", audio = Convert.ToBase64String(TestSpeech.Pcm("what time is it")) });
        await WaitForAsync(socket, "response.done", 90);
        await SendRawAsync(socket, "{not json");
        await WaitForAsync(socket, "error", 30);

        var turn = await WaitForSpanAsync("realtime.turn");
        Assert.Equal("completed", turn.GetTagItem("realtime.status"));
        var children = _server.Spans.Where(s => s.ParentSpanId == turn.SpanId).ToList();
        foreach (var stage in new[] { "realtime.vad.decision", "realtime.stt", "realtime.llm", "realtime.tts", "realtime.first_packet" })
        {
            var child = Assert.Single(children, c => c.OperationName == stage);
            Assert.True(child.StartTimeUtc >= turn.StartTimeUtc.AddMilliseconds(-1), $"{stage} starts before its turn");
            Assert.True(child.StartTimeUtc + child.Duration <= turn.StartTimeUtc + turn.Duration + TimeSpan.FromMilliseconds(1), $"{stage} ends after its turn");
        }

        Assert.True((double)turn.GetTagItem("realtime.turn_latency_ms")! > 0);

        _server.Services.GetRequiredService<SessionCpuMeter>().Sample();
        _server.Services.GetRequiredService<MeterProvider>().ForceFlush();
        Assert.True(Sum("mediaserver.turns", ("transport", "websocket")) >= 1);
        Assert.True(Sum("mediaserver.responses", ("status", "completed")) >= 1);
        Assert.True(Sum("mediaserver.errors", ("code", "invalid_json")) >= 1);
        Assert.True(HistogramCount("mediaserver.turn.latency") >= 1);
        Assert.Contains(_server.Metrics, m => m.Name == "mediaserver.sessions.active");
        Assert.Contains(_server.Metrics, m => m.Name == "mediaserver.cpu.per_session");
        Assert.True(Sum("mediaserver.session.time", null) > 0, "session-seconds were not accumulated while the session lived");
    }

    private async Task<Activity> WaitForSpanAsync(string name)
    {
        for (int i = 0; i < 100; i++)
        {
            lock (_server.Spans)
            {
                if (_server.Spans.LastOrDefault(s => s.OperationName == name) is { } span)
                {
                    return span;
                }
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"No {name} span was exported.");
    }

    private double Sum(string name, (string Key, string Value)? tag)
    {
        double total = 0;
        foreach (var metric in _server.Metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                if (tag is { } t && !HasTag(point, t.Key, t.Value))
                {
                    continue;
                }

                total += metric.MetricType switch
                {
                    MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                    MetricType.DoubleSum or MetricType.DoubleSumNonMonotonic => point.GetSumDouble(),
                    MetricType.LongGauge => point.GetGaugeLastValueLong(),
                    MetricType.DoubleGauge => point.GetGaugeLastValueDouble(),
                    _ => 0,
                };
            }
        }

        return total;
    }

    private long HistogramCount(string name)
    {
        long count = 0;
        foreach (var metric in _server.Metrics.Where(m => m.Name == name))
        {
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                count += point.GetHistogramCount();
            }
        }

        return count;
    }

    private static bool HasTag(in MetricPoint point, string key, string value)
    {
        foreach (var tag in point.Tags)
        {
            if (tag.Key == key && string.Equals(tag.Value?.ToString(), value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private async Task<WebSocket> ConnectAsync()
    {
        var client = _server.Server.CreateWebSocketClient();
        client.ConfigureRequest = r => r.Headers.Authorization = "Bearer test-key";
        var socket = await client.ConnectAsync(new Uri(_server.Server.BaseAddress, "v1/realtime?model=gpt-realtime"), CancellationToken.None);
        await WaitForAsync(socket, "session.created", 30);
        return socket;
    }

    private static Task SendAsync(WebSocket socket, object evt) => SendRawAsync(socket, JsonSerializer.Serialize(evt));

    private static Task SendRawAsync(WebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, CancellationToken.None);

    private static async Task<JsonObject> WaitForAsync(WebSocket socket, string type, int timeoutSeconds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
        var buffer = new byte[1 << 20];
        while (true)
        {
            int length = 0;
            ValueWebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer.AsMemory(length), timeout.Token);
                length += result.Count;
            }
            while (!result.EndOfMessage);

            var evt = JsonNode.Parse(buffer.AsSpan(0, length))!.AsObject();
            if ((string?)evt["type"] == type)
            {
                return evt;
            }
        }
    }

    /// <summary>The real host in memory with OpenTelemetry's in-memory exporters added beside its own.</summary>
    public sealed class InstrumentedServer : WebApplicationFactory<Program>
    {
        public List<Activity> Spans { get; } = [];

        public List<Metric> Metrics { get; } = [];

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            builder.UseSetting("MediaServer:Engines:WarmUp", "false");
            builder.UseSetting("MediaServer:Sip:Enabled", "false");
            builder.ConfigureServices(services =>
            {
                services.ConfigureOpenTelemetryTracerProvider(t => t.AddInMemoryExporter(Spans));
                services.ConfigureOpenTelemetryMeterProvider(m => m.AddInMemoryExporter(Metrics));
            });
        }
    }
}
