using MediaServer.Signaling.Realtime.Upstream;

namespace MediaServer.Signaling.Tests.Realtime.Upstream;

public sealed class UpstreamCatalogTests
{
    private static UpstreamOptions Options(string? @default = null) => new()
    {
        Default = @default,
        Providers = new(StringComparer.OrdinalIgnoreCase)
        {
            ["oai"] = new UpstreamProviderOptions { Url = "wss://api.openai.com/v1/realtime", Model = "gpt-realtime" },
            ["iw"] = new UpstreamProviderOptions { Url = "wss://api.inworld.ai/api/v1/realtime/session", Dialect = "inworld", Auth = "basic", Model = "openai/gpt-4o-mini" },
        },
    };

    [Theory]
    [InlineData("oai/gpt-realtime-mini", "oai", "gpt-realtime-mini")]
    [InlineData("OAI/gpt-realtime-mini", "oai", "gpt-realtime-mini")]
    [InlineData("oai/", "oai", "gpt-realtime")]
    [InlineData("oai", "oai", "gpt-realtime")]
    [InlineData("iw/anthropic/claude-sonnet-4-6", "iw", "anthropic/claude-sonnet-4-6")]
    public void Provider_model_ids_reach_the_named_upstream(string model, string name, string upstreamModel)
    {
        Assert.True(new UpstreamCatalog(Options()).TryResolve(model, out var target));
        Assert.Equal(name, target.Name, ignoreCase: true);
        Assert.Equal(upstreamModel, target.Model);
    }

    [Theory]
    [InlineData("gpt-realtime")]
    [InlineData("")]
    [InlineData(null)]
    [InlineData("ollama/llama3.2")]
    [InlineData("offline")]
    public void Other_ids_stay_local_without_a_default(string? model) =>
        Assert.False(new UpstreamCatalog(Options()).TryResolve(model, out _));

    [Theory]
    [InlineData("gpt-realtime")]
    [InlineData("gpt-4o-realtime-preview")]
    [InlineData("")]
    [InlineData("offline")]
    public void Default_ids_reach_the_default_upstream_with_its_model(string model)
    {
        Assert.True(new UpstreamCatalog(Options("iw")).TryResolve(model, out var target));
        Assert.Equal("iw", target.Name);
        Assert.Equal("openai/gpt-4o-mini", target.Model);
        Assert.False(new UpstreamCatalog(Options("iw")).TryResolve("ollama/llama3.2", out _));
    }

    [Theory]
    [InlineData("Url", "http://x/v1/realtime", "not an absolute ws:// or wss:// URL")]
    [InlineData("Url", "", "not an absolute ws:// or wss:// URL")]
    [InlineData("Auth", "digest", "must be 'bearer' or 'basic'")]
    [InlineData("Dialect", "gemini", "must be 'openai' or 'inworld'")]
    [InlineData("TurnDetection", "client", "must be 'local' or 'upstream'")]
    [InlineData("AppendMilliseconds", "30", "multiple of 20")]
    public void Bad_options_fail_at_construction_naming_the_key(string key, string value, string message)
    {
        var options = Options();
        var p = options.Providers["oai"];
        switch (key)
        {
            case "Url": p.Url = value; break;
            case "Auth": p.Auth = value; break;
            case "Dialect": p.Dialect = value; break;
            case "TurnDetection": p.TurnDetection = value; break;
            case "AppendMilliseconds": p.AppendMilliseconds = int.Parse(value, System.Globalization.CultureInfo.InvariantCulture); break;
        }

        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new UpstreamCatalog(options));
        Assert.Contains($"MediaServer:Upstream:Providers:oai:{key}", ex.Message, StringComparison.Ordinal);
        Assert.Contains(message, ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_default_naming_no_provider_fails_at_construction()
    {
        var ex = Assert.Throws<Microsoft.Extensions.Options.OptionsValidationException>(() => new UpstreamCatalog(Options("nope")));
        Assert.Contains("MediaServer:Upstream:Default", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Openai_urls_carry_the_model_and_inworld_urls_the_session_key()
    {
        var catalog = new UpstreamCatalog(Options());
        catalog.TryResolve("oai/gpt-realtime-mini", out var openai);
        Assert.Equal("wss://api.openai.com/v1/realtime?model=gpt-realtime-mini", UpstreamUrl.Build(openai, "sess_1").ToString());
        catalog.TryResolve("iw", out var inworld);
        Assert.Equal("wss://api.inworld.ai/api/v1/realtime/session?key=sess_1&protocol=realtime", UpstreamUrl.Build(inworld, "sess_1").ToString());
    }

    [Fact]
    public void Query_parameters_already_in_the_url_are_kept()
    {
        var options = Options();
        options.Providers["oai"].Url = "ws://127.0.0.1:9/v1/realtime?model=pinned&x=1";
        new UpstreamCatalog(options).TryResolve("oai/other", out var target);
        Assert.Equal("ws://127.0.0.1:9/v1/realtime?model=pinned&x=1", UpstreamUrl.Build(target, "s").ToString());
    }
}
