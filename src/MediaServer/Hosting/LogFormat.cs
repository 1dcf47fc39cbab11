using Serilog;
using Serilog.Formatting.Compact;

namespace MediaServer.Hosting;

/// <summary>Console logging as plain text or compact JSON (<c>MediaServer:Logging:Format</c> = <c>plain</c> | <c>json</c>).</summary>
public static class LogFormat
{
    public static void Configure(LoggerConfiguration logger, IConfiguration configuration)
    {
        logger.ReadFrom.Configuration(configuration)
            .Enrich.FromLogContext();
        if (string.Equals(configuration["MediaServer:Logging:Format"], "json", StringComparison.OrdinalIgnoreCase))
        {
            logger.WriteTo.Console(new RenderedCompactJsonFormatter());
        }
        else
        {
            logger.WriteTo.Console(outputTemplate:
                "[{Timestamp:HH:mm:ss.fff} {Level:u3}] {SourceContext} {SessionId:l}{CallId:l} {Message:lj}{NewLine}{Exception}");
        }
    }
}
