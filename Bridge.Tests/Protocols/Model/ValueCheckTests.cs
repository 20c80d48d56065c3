using System.Text.Json;
using Bridge.Protocols.Model;

namespace Bridge.Tests.Protocols.Model;

public sealed class ValueCheckTests
{
    private static readonly Capability Brightness = new() { Name = "brightness", Type = CapabilityType.Int, Min = 1, Max = 100, Unit = "%" };
    private static readonly Capability Target = new() { Name = "target_temperature", Type = CapabilityType.Number, Min = 16, Max = 30, Step = 0.5 };
    private static readonly Capability Mode = new() { Name = "mode", Type = CapabilityType.Enum, Values = ["auto", "cool", "heat"] };
    private static readonly Capability Room = new() { Name = "current_temperature", Type = CapabilityType.Number, ReadOnly = true };

    private static ValueProblem Check(Capability cap, string json, out StateValue value) =>
        ValueCheck.Check(cap, JsonDocument.Parse(json).RootElement, out value, out _);

    [Theory]
    [InlineData("1", ValueProblem.None)]
    [InlineData("100", ValueProblem.None)]
    [InlineData("0", ValueProblem.Invalid)]
    [InlineData("101", ValueProblem.Invalid)]
    [InlineData("50.5", ValueProblem.Invalid)]
    [InlineData("\"50\"", ValueProblem.Invalid)]
    [InlineData("true", ValueProblem.Invalid)]
    [InlineData("null", ValueProblem.Invalid)]
    [InlineData("1e400", ValueProblem.Invalid)]
    public void Int_capabilities_take_whole_numbers_in_range(string json, ValueProblem expected) =>
        Assert.Equal(expected, Check(Brightness, json, out _));

    [Theory]
    [InlineData("16", ValueProblem.None)]
    [InlineData("24.5", ValueProblem.None)]
    [InlineData("30", ValueProblem.None)]
    [InlineData("24.3", ValueProblem.Invalid)]
    [InlineData("15.5", ValueProblem.Invalid)]
    [InlineData("30.5", ValueProblem.Invalid)]
    public void Number_capabilities_respect_range_and_step(string json, ValueProblem expected) =>
        Assert.Equal(expected, Check(Target, json, out _));

    [Fact]
    public void Enums_take_only_their_values_exactly()
    {
        Assert.Equal(ValueProblem.None, Check(Mode, "\"cool\"", out var v));
        Assert.Equal("cool", v.Text);
        Assert.Equal(ValueProblem.Invalid, Check(Mode, "\"COOL\"", out _));
        Assert.Equal(ValueProblem.Invalid, Check(Mode, "1", out _));
    }

    [Fact]
    public void Read_only_capabilities_are_refused_whatever_the_value() =>
        Assert.Equal(ValueProblem.ReadOnly, Check(Room, "21", out _));

    [Fact]
    public void Messages_name_the_capability_and_the_range()
    {
        ValueCheck.Check(Brightness, JsonDocument.Parse("150").RootElement, out _, out var message);
        Assert.Contains("brightness", message);
        Assert.Contains("1 to 100", message);
    }
}
