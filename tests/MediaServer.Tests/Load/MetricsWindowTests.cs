using MediaServer.Load;
using MediaServer.Signaling.Telemetry;

namespace MediaServer.Tests.Load;

/// <summary>The driver's reading of Prometheus histograms and the server's WebSocket audio deadline.</summary>
public sealed class MetricsWindowTests
{
    private const string Before = """
        # TYPE mediaserver_media_tick_delay_milliseconds histogram
        mediaserver_media_tick_delay_milliseconds_bucket{otel_scope_name="MediaServer.Realtime",le="1"} 10 1700000000000
        mediaserver_media_tick_delay_milliseconds_bucket{otel_scope_name="MediaServer.Realtime",le="10"} 10 1700000000000
        mediaserver_media_tick_delay_milliseconds_bucket{otel_scope_name="MediaServer.Realtime",le="20"} 10 1700000000000
        mediaserver_media_tick_delay_milliseconds_bucket{otel_scope_name="MediaServer.Realtime",le="50"} 10 1700000000000
        mediaserver_media_tick_delay_milliseconds_bucket{otel_scope_name="MediaServer.Realtime",le="+Inf"} 10 1700000000000
        mediaserver_media_ticks_skipped_total{otel_scope_name="MediaServer.Realtime"} 2
        """;

    private const string After = """
        mediaserver_media_tick_delay_milliseconds_bucket{le="1"} 60
        mediaserver_media_tick_delay_milliseconds_bucket{le="10"} 100
        mediaserver_media_tick_delay_milliseconds_bucket{le="20"} 108
        mediaserver_media_tick_delay_milliseconds_bucket{le="50"} 109
        mediaserver_media_tick_delay_milliseconds_bucket{le="+Inf"} 110
        mediaserver_media_ticks_skipped_total 5
        """;

    [Fact]
    public void Window_subtracts_the_earlier_scrape_and_interpolates_quantiles()
    {
        var window = new HistogramWindow(MetricsSnapshot.Parse(Before), MetricsSnapshot.Parse(After), "mediaserver_media_tick_delay");

        Assert.Equal(100, window.Count);
        Assert.Equal(1, window.Quantile(0.5), 3); // the 50th of 100 observations, at the top of the first bucket
        Assert.Equal(1 + (9 * (90 - 50) / 40.0), window.Quantile(0.9), 3);
        Assert.Equal(2, window.Above(20));
        Assert.Equal(1, window.Above(50));
        Assert.Equal(3, MetricsSnapshot.Parse(After).Sum("mediaserver_media_ticks_skipped") - MetricsSnapshot.Parse(Before).Sum("mediaserver_media_ticks_skipped"));
    }

    [Fact]
    public void Wire_audio_on_time_has_no_delay_and_a_stall_shows_as_its_backlog()
    {
        var arrival = new WireAudioArrival();
        double now = 1000;
        for (int i = 0; i < 50; i++)
        {
            Assert.Equal(0, arrival.OnChunk(now, 20), 6);
            now += 20;
        }

        // The server stalls for 100 ms: the chunk due then is processed 100 ms late, the next ones catch up.
        now += 100;
        Assert.Equal(100, arrival.OnChunk(now, 20), 6);
        Assert.Equal(80, arrival.OnChunk(now, 20), 6);
        Assert.Equal(60, arrival.OnChunk(now, 20), 6);
    }

    [Fact]
    public void Wire_audio_after_a_client_pause_is_forgotten_within_two_windows()
    {
        var arrival = new WireAudioArrival();
        double now = 0;
        for (int i = 0; i < 10; i++, now += 20)
        {
            arrival.OnChunk(now, 20);
        }

        now += 5000; // the client stopped sending while the agent spoke
        Assert.Equal(0, arrival.OnChunk(now, 20), 6);
        Assert.Equal(0, arrival.OnChunk(now + 20, 20), 6);
    }

    [Fact]
    public void Soak_trend_is_a_least_squares_slope()
    {
        Assert.Equal(2, Soak.Slope([(0, 1), (1, 3), (2, 5)]), 6);
        Assert.Equal(0, Soak.Slope([(0, 4), (1, 4), (2, 4)]), 6);
    }
}
