using System.Net;
using System.Text;

namespace Bridge.Tests.Infrastructure;

/// <summary>Checks an HTTP refusal of the bridge or the relay byte for byte: its status, its content
/// type and its <c>{"ok":false,"error":{…}}</c> body. Byte for byte, not parsed, because clients
/// already in the field read these bodies and a change of escaping or member order is a change for them.</summary>
public static class RefusalAssert
{
    public const string ContentType = "application/json; charset=utf-8";

    public static async Task BodyAsync(HttpResponseMessage response, HttpStatusCode status, string expectedBody)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal(ContentType, response.Content.Headers.ContentType?.ToString());
        Assert.Equal(expectedBody, Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync()));
    }
}
