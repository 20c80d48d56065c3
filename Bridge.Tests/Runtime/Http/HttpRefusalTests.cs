using System.Text;
using Bridge.Runtime.Http;
using Microsoft.AspNetCore.Http;

namespace Bridge.Tests.Runtime.Http;

public sealed class HttpRefusalTests
{
    private static DefaultHttpContext Context() => new() { Response = { Body = new MemoryStream() } };

    private static string BodyOf(HttpContext context) =>
        Encoding.UTF8.GetString(((MemoryStream)context.Response.Body).ToArray());

    [Fact]
    public async Task A_refusal_sets_the_status_and_sends_the_json_error_body()
    {
        var context = Context();
        await HttpRefusal.WriteAsync(context.Response, StatusCodes.Status403Forbidden, "forbidden", "wrong \"code\"");
        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal("""{"ok":false,"error":{"code":"forbidden","message":"wrong \"code\""}}""", BodyOf(context));
    }

    [Fact]
    public async Task A_refusal_as_a_result_sends_the_same()
    {
        var context = Context();
        await HttpRefusal.Result(StatusCodes.Status429TooManyRequests, "busy", "later").ExecuteAsync(context);
        Assert.Equal(429, context.Response.StatusCode);
        Assert.Equal("application/json; charset=utf-8", context.Response.ContentType);
        Assert.Equal("""{"ok":false,"error":{"code":"busy","message":"later"}}""", BodyOf(context));
    }
}
