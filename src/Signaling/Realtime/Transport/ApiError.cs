using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>The HTTP endpoints' error body, as OpenAI's API shapes it: <c>{"error":{type, code, message, param}}</c>.</summary>
public static class ApiError
{
    public static IResult Result(int status, string code, string message, string? param) =>
        Results.Json(new { error = new { type = "invalid_request_error", code, message, param } }, statusCode: status);

    /// <summary>Writes the same body straight to a response (for middleware outside endpoint routing).</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string message, string? param) =>
        Result(status, code, message, param).ExecuteAsync(context);
}
