using LLama;
using LLama.Common;
using LLama.Native;
using Microsoft.Extensions.Logging;

namespace MediaServer.Pipeline.Llm.LlamaSharp;

/// <summary>
/// One GGUF file of a <c>llamasharp</c> provider: the weights are read once, on the first request, off the
/// caller's thread, and shared by every request (llama.cpp weights are read-only; each request gets its own
/// context and KV cache). A failed load is tried again on the next request rather than cached.
/// </summary>
internal sealed class LlamaSharpModel : IDisposable
{
    /// <summary>Upper bound on the default context: a KV cache per request sized to a 128k training context
    /// would take gigabytes, and a spoken conversation fits in 4096 tokens.</summary>
    public const uint DefaultMaxContext = 4096;

    private static readonly Lock NativeGate = new();
    private static bool s_nativeConfigured;

    private readonly ModelParams _parameters;
    private readonly uint? _contextSize;
    private readonly ILogger _logger;
    private readonly Lock _gate = new();
    private Task<LLamaWeights>? _loading;
    private bool _disposed;

    public LlamaSharpModel(string modelPath, uint? contextSize, ILogger logger)
    {
        // First: building ModelParams already loads the native library, after which the log hook cannot be set.
        ConfigureNativeLogging(logger);
        ModelPath = modelPath;
        _contextSize = contextSize;
        _logger = logger;
        _parameters = new ModelParams(modelPath) { GpuLayerCount = 0 };
    }

    public string ModelPath { get; }

    /// <summary>Context parameters for one request, set once the weights are known.</summary>
    public ModelParams ContextParameters { get; private set; } = null!;

    /// <summary>The weights, loading them on the first call.</summary>
    public Task<LLamaWeights> GetWeightsAsync(CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            if (_loading is null || _loading.IsFaulted || _loading.IsCanceled) _loading = Task.Run(Load, CancellationToken.None);
            return _loading.WaitAsync(cancellationToken);
        }
    }

    private LLamaWeights Load()
    {
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var weights = LLamaWeights.LoadFromFile(_parameters);
        uint context = _contextSize ?? Math.Min((uint)Math.Max(weights.ContextSize, 1), DefaultMaxContext);
        ContextParameters = _parameters with { ContextSize = context };
        LlamaSharpLog.Loaded(_logger, ModelPath, weights.ParameterCount, context, System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return weights;
    }

    /// <summary>
    /// llama.cpp writes hundreds of lines to stderr while loading; route them to our logger instead, warnings and
    /// errors only. The hook is process-wide and must be set before the native library loads, so the first model
    /// sets it.
    /// </summary>
    private static void ConfigureNativeLogging(ILogger logger)
    {
        lock (NativeGate)
        {
            if (s_nativeConfigured || NativeLibraryConfig.LLama.LibraryHasLoaded) return;
            s_nativeConfigured = true;
            NativeLibraryConfig.All.WithLogCallback((level, message) =>
            {
                if (level is LLamaLogLevel.Warning or LLamaLogLevel.Error) LlamaSharpLog.Native(logger, level.ToString(), message.TrimEnd());
            });
        }
    }

    public void Dispose()
    {
        Task<LLamaWeights>? loading;
        lock (_gate)
        {
            _disposed = true;
            loading = _loading;
        }

        if (loading is { IsCompletedSuccessfully: true }) loading.Result.Dispose();
    }
}

internal static partial class LlamaSharpLog
{
    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "LLamaSharp loaded {ModelPath} ({Parameters} parameters, context {Context} tokens) in {Milliseconds:F0} ms")]
    public static partial void Loaded(ILogger logger, string modelPath, ulong parameters, uint context, double milliseconds);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "llama.cpp {Level}: {Message}")]
    public static partial void Native(ILogger logger, string level, string message);
}
