namespace Bridge.Tests.Service;

/// <summary>What the folder graph reads: code without its comments and literals, line for line.</summary>
public sealed class CSharpCodeTests
{
    [Fact]
    public void Comments_and_literals_are_blanked_and_code_is_kept()
    {
        var source = """"
            var a = Mqtt.X; // Drivers.Y
            /* Serial.Z */ var b = "Devices.W" + @"Web.""V""" + $"{c}Api.U" + '"';
            var d = Relay.T;
            """";

        var code = CSharpCode.Of(source);

        Assert.Contains("Mqtt.X", code);
        Assert.Contains("Relay.T", code);
        Assert.DoesNotContain("Drivers", code);
        Assert.DoesNotContain("Serial", code);
        Assert.DoesNotContain("Devices", code);
        Assert.DoesNotContain("Web", code);
        Assert.DoesNotContain("Api", code);
        Assert.Equal(source.Count(c => c == '\n'), code.Count(c => c == '\n'));
    }

    [Fact]
    public void A_raw_string_is_blanked_to_its_closing_quotes()
    {
        var source = "var a = \"\"\"\n  Mqtt.X \"quoted\"\n  \"\"\"; var b = Relay.T;";

        var code = CSharpCode.Of(source);

        Assert.DoesNotContain("Mqtt", code);
        Assert.Contains("Relay.T", code);
    }
}
