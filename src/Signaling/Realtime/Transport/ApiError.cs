using Microsoft.AspNetCore.Http;

namespace MediaServer.Signaling.Realtime.Transport;

/// <summary>The HTTP endpoints' error body, as OpenAI's API shapes it: <c>{"error":{type, code, message, param}}</c>.</summary>
public static class ApiError
{
    public static IResult Result(int status, string code, string message, string? param, string type = "invalid_request_error") =>
        Results.Json(new { error = new { type, code, message, param } }, statusCode: status);

    /// <summary>Writes the same body straight to a response (handlers and middleware outside endpoint results).</summary>
    public static Task WriteAsync(HttpContext context, int status, string code, string message, string? param, string type = "invalid_request_error") =>
        Result(status, code, message, param, type).ExecuteAsync(context);
}
