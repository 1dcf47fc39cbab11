using MediaServer.Pipeline.Llm;

namespace MediaServer.Signaling.Realtime.Upstream;

/// <summary>An upstream a session delegates to: the provider's settings and the model asked of it.</summary>
public sealed record UpstreamTarget(string Name, UpstreamProviderOptions Provider, string Model);

/// <summary>
/// Decides which sessions delegate their engine upstream. <c>&lt;provider&gt;/&lt;model&gt;</c> reaches a configured
/// provider with that model (<c>&lt;provider&gt;/</c> alone, or just the provider name, uses its configured model);
/// default ids (empty, <c>offline</c>, <c>gpt-realtime*</c>) reach <see cref="UpstreamOptions.Default"/> when set.
/// Everything else stays on the embedded engines. The options are checked once, at construction, so a bad
/// upstream fails the start, not the first call.
/// </summary>
public sealed class UpstreamCatalog
{
    private readonly UpstreamOptions _options;

    public UpstreamCatalog(UpstreamOptions options)
    {
        _options = options;
        var errors = Validate(options);
        if (errors.Count > 0)
        {
            throw new Microsoft.Extensions.Options.OptionsValidationException("MediaServer:Upstream", typeof(UpstreamOptions), errors);
        }
    }

    /// <summary>A catalog with no upstreams: every session stays local.</summary>
    public static UpstreamCatalog None { get; } = new(new UpstreamOptions());

    public bool TryResolve(string? model, out UpstreamTarget target)
    {
        target = null!;
        string id = model?.Trim() ?? string.Empty;
        if (ChatClientProvider.IsDefaultAlias(id))
        {
            if (_options.Default is not { } name || !_options.Providers.TryGetValue(name, out var fallback))
            {
                return false;
            }

            target = new UpstreamTarget(name, fallback, fallback.Model);
            return true;
        }

        int slash = id.IndexOf('/', StringComparison.Ordinal);
        string providerName = slash < 0 ? id : id[..slash];
        if (!_options.Providers.TryGetValue(providerName, out var provider))
        {
            return false;
        }

        string upstreamModel = slash < 0 || slash == id.Length - 1 ? provider.Model : id[(slash + 1)..];
        target = new UpstreamTarget(providerName, provider, upstreamModel);
        return true;
    }

    /// <summary>Every configuration mistake, each naming the key to fix.</summary>
    public static List<string> Validate(UpstreamOptions options)
    {
        var errors = new List<string>();
        foreach (var (name, p) in options.Providers)
        {
            string at = $"MediaServer:Upstream:Providers:{name}";
            if (string.IsNullOrWhiteSpace(name) || name.Contains('/', StringComparison.Ordinal))
            {
                errors.Add($"{at}: a provider name must be non-empty and contain no '/'.");
            }

            if (!Uri.TryCreate(p.Url, UriKind.Absolute, out var uri) || (uri.Scheme != "ws" && uri.Scheme != "wss"))
            {
                errors.Add($"{at}:Url '{p.Url}' is not an absolute ws:// or wss:// URL.");
            }

            if (!string.Equals(p.Auth, "bearer", StringComparison.OrdinalIgnoreCase) && !string.Equals(p.Auth, "basic", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{at}:Auth '{p.Auth}' must be 'bearer' or 'basic'.");
            }

            if (!string.Equals(p.Dialect, "openai", StringComparison.OrdinalIgnoreCase) && !p.IsInworld)
            {
                errors.Add($"{at}:Dialect '{p.Dialect}' must be 'openai' or 'inworld'.");
            }

            if (!p.LocalTurns && !string.Equals(p.TurnDetection, "upstream", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"{at}:TurnDetection '{p.TurnDetection}' must be 'local' or 'upstream'.");
            }

            if (string.IsNullOrWhiteSpace(p.Model))
            {
                errors.Add($"{at}:Model must be set.");
            }

            if (p.ConnectTimeout <= TimeSpan.Zero)
            {
                errors.Add($"{at}:ConnectTimeout must be positive.");
            }

            if (p.AppendMilliseconds is < 20 or > 1000 || p.AppendMilliseconds % 20 != 0)
            {
                errors.Add($"{at}:AppendMilliseconds must be a multiple of 20 between 20 and 1000.");
            }
        }

        if (options.Default is { } d && !options.Providers.ContainsKey(d))
        {
            errors.Add($"MediaServer:Upstream:Default '{d}' names no configured provider.");
        }

        return errors;
    }
}
