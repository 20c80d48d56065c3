using Bridge.Protocols.Api;
using Microsoft.AspNetCore.Http;

namespace Bridge.Runtime.Http;

/// <summary>Sends an HTTP refusal of the bridge or the relay: the status and the API's
/// <see cref="ApiWriter.Refusal"/> body as JSON. The one way both send one, so a client reads every
/// refusal the same way whichever endpoint, or whichever of the two, refused it.</summary>
public static class HttpRefusal
{
    /// <summary>What ASP.NET's JSON writers have always sent these bodies as.</summary>
    public const string ContentType = "application/json; charset=utf-8";

    public static async Task WriteAsync(HttpResponse response, int status, string code, string message)
    {
        response.StatusCode = status;
        response.ContentType = ContentType;
        ApiWriter.Refusal(response.BodyWriter, code, message);
        await response.BodyWriter.FlushAsync();
    }

    /// <summary>The same as a result, for handlers that return one.</summary>
    public static IResult Result(int status, string code, string message) => new Refusal(status, code, message);

    private sealed record Refusal(int Status, string Code, string Message) : IResult
    {
        public Task ExecuteAsync(HttpContext context) => WriteAsync(context.Response, Status, Code, Message);
    }
}
