var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();
app.MapGet("/healthz", () => Results.Ok(new { status = "ok" }));
await app.RunAsync();

/// <summary>Entry point type, visible to the tests.</summary>
public partial class Program;
