using System.Buffers;
using System.Text;
using System.Text.Json;
using Bridge.Protocols.Api;

namespace Bridge.Tests.Protocols.Api;

public sealed class ApiWriterTests
{
    private static string Refusal(string code, string message)
    {
        var output = new ArrayBufferWriter<byte>();
        ApiWriter.Refusal(output, code, message);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    [Fact]
    public void A_refusal_is_ok_false_and_the_error_member_with_quotes_and_newlines_escaped()
    {
        Assert.Equal("""{"ok":false,"error":{"code":"bad_request","message":"say \"hi\"\nthen \\ stop"}}""",
            Refusal("bad_request", "say \"hi\"\nthen \\ stop"));
    }

    /// <summary>What every refusal body was before it had its own writer: ASP.NET's JSON defaults
    /// (<c>WriteAsJsonAsync</c>, <c>Results.Json</c>) serialising an anonymous object.</summary>
    [Theory]
    [InlineData("no token")]
    [InlineData("'code' (a string) is missing")]
    [InlineData("malformed JSON: '<' is an invalid start of a value. LineNumber: 0 | BytePositionInLine: 0.")]
    [InlineData("tab\there, bell\u0007, carriage\rreturn")]
    [InlineData("Küche & Wohnzimmer – 客厅 🙂")]
    [InlineData("")]
    public void A_refusal_has_the_bytes_aspnets_json_defaults_gave_it(string message)
    {
        var aspNet = new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;
        Assert.Equal(JsonSerializer.Serialize(new { ok = false, error = new { code = "forbidden", message } }, aspNet),
            Refusal("forbidden", message));
    }
}
