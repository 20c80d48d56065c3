using System.Text.Json;
using Bridge.Service.Household;

namespace Bridge.Tests.Service.Household;

/// <summary>The shapes of scenes and timers, and the bad input the issue lists.</summary>
public sealed class HouseholdParserTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static JsonElement Json(string s) => JsonDocument.Parse(s).RootElement;

    private static HouseholdError SceneError(string json)
    {
        Assert.False(HouseholdParser.TryScene(Json(json), out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error!.Message));
        return error;
    }

    private static HouseholdError TimerError(string json)
    {
        Assert.False(HouseholdParser.TryTimer(Json(json), Now, out _, out var error));
        Assert.False(string.IsNullOrWhiteSpace(error!.Message));
        return error;
    }

    [Fact]
    public void A_scene_as_the_contract_shows_it()
    {
        Assert.True(HouseholdParser.TryScene(Json("""
            {"id":"leave-home","name":"离家","actions":[{"device":"lamp-1","state":{"power":"off"}},{"device":"ac-1","state":{"power":"off"}}]}
            """), out var scene, out _));
        Assert.Equal("leave-home", scene.Id);
        Assert.Equal("离家", scene.Name);
        Assert.Equal(["lamp-1", "ac-1"], scene.Actions.Select(a => a.Device));
        Assert.Equal("""{"power":"off"}""", scene.Actions[0].State.GetRawText());
    }

    [Fact]
    public void A_name_of_ten_thousand_characters_is_refused_with_its_length()
    {
        var e = SceneError($$$"""{"id":"s","name":"{{{new string('灯', 10_000)}}}","actions":[{"device":"a","state":{"power":"on"}}]}""");
        Assert.Equal("invalid_value", e.Code);
        Assert.Contains("10000", e.Message);
        Assert.Contains("64", e.Message);
    }

    [Theory]
    [InlineData("\\u0007bell")]
    [InlineData("line\\nbreak")]
    [InlineData("nul\\u0000")]
    [InlineData("del\\u007f")]
    public void Control_characters_in_a_name_are_refused(string name)
    {
        var e = SceneError($$$"""{"id":"s","name":"{{{name}}}","actions":[{"device":"a","state":{"power":"on"}}]}""");
        Assert.Equal("invalid_value", e.Code);
        Assert.Contains("control character", e.Message);
    }

    [Fact]
    public void Markup_in_a_name_is_just_text()
    {
        Assert.True(HouseholdParser.TryScene(Json("""{"id":"s","name":"<script>alert(1)</script>","actions":[{"device":"a","state":{"power":"on"}}]}"""),
            out var scene, out _));
        Assert.Equal("<script>alert(1)</script>", scene.Name);
    }

    [Fact]
    public void A_lone_surrogate_is_refused_not_thrown()
    {
        Assert.Equal("invalid_value", SceneError("""{"id":"s","name":"\ud800","actions":[{"device":"a","state":{"power":"on"}}]}""").Code);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("slash/")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123456789")]
    public void Bad_ids_are_refused(string id) =>
        Assert.Equal("invalid_value", SceneError($$$"""{"id":"{{{id}}}","actions":[{"device":"a","state":{"power":"on"}}]}""").Code);

    [Fact]
    public void A_scene_of_ten_thousand_actions_is_refused_with_the_limit()
    {
        var actions = string.Join(",", Enumerable.Range(0, 10_000).Select(i => "{\"device\":\"d" + i + "\",\"state\":{\"power\":\"on\"}}"));
        var e = SceneError($$$"""{"id":"big","actions":[{{{actions}}}]}""");
        Assert.Equal("bad_request", e.Code);
        Assert.Contains("10000", e.Message);
        Assert.Contains(HouseholdParser.MaxActions.ToString(), e.Message);
    }

    [Fact]
    public void Two_actions_for_one_device_are_refused_naming_both()
    {
        var e = SceneError("""{"id":"s","actions":[{"device":"a","state":{"power":"on"}},{"device":"b","state":{"power":"on"}},{"device":"a","state":{"power":"off"}}]}""");
        Assert.Equal("bad_request", e.Code);
        Assert.Contains("action 2", e.Message);
        Assert.Contains("action 0", e.Message);
    }

    [Fact]
    public void A_scene_that_names_itself_is_refused()
    {
        var e = SceneError("""{"id":"loop","actions":[{"scene":"loop"}]}""");
        Assert.Equal("bad_request", e.Code);
        Assert.Contains("action 0", e.Message);
    }

    [Theory]
    [InlineData("""{"id":"s"}""")]
    [InlineData("""{"id":"s","actions":[]}""")]
    [InlineData("""{"id":"s","actions":{}}""")]
    [InlineData("""{"id":"s","actions":[1]}""")]
    [InlineData("""{"id":"s","actions":[{"state":{}}]}""")]
    [InlineData("""{"id":"s","actions":[{"device":"a"}]}""")]
    [InlineData("""{"id":"s","actions":[{"device":"a","state":[]}]}""")]
    [InlineData("""{"id":5,"actions":[{"device":"a","state":{}}]}""")]
    [InlineData("""[]""")]
    public void Malformed_scenes_are_bad_requests(string json) => Assert.Equal("bad_request", SceneError(json).Code);

    [Fact]
    public void A_timer_as_the_contract_shows_it()
    {
        Assert.True(HouseholdParser.TryTimer(Json("""
            {"id":"heater-morning","name":"早上热水","at":"06:30","days":["mon","tue","wed","thu","fri"],"scene":"heater"}
            """), Now, out var timer, out _));
        Assert.Equal(new TimeOnly(6, 30), timer.At);
        Assert.Equal(["mon", "tue", "wed", "thu", "fri"], timer.Days.InWeekOrder());
        Assert.Equal("heater", timer.Scene);
        Assert.True(timer.Enabled);
        Assert.Equal(Now, timer.Since);
    }

    [Theory]
    [InlineData("25:61")]
    [InlineData("24:00")]
    [InlineData("6:30")]
    [InlineData("06:30:00")]
    [InlineData("-1:00")]
    [InlineData("06-30")]
    [InlineData("")]
    public void Times_that_are_not_a_time_of_day_are_invalid_values(string at)
    {
        var e = TimerError($$"""{"id":"t","at":"{{at}}","scene":"s"}""");
        Assert.Equal("invalid_value", e.Code);
        Assert.Contains("HH:mm", e.Message);
    }

    [Theory]
    [InlineData("""{"id":"t","at":"06:30","days":["mon","mon"],"scene":"s"}""", "bad_request")]
    [InlineData("""{"id":"t","at":"06:30","days":["monday"],"scene":"s"}""", "invalid_value")]
    [InlineData("""{"id":"t","at":"06:30","days":[],"scene":"s"}""", "invalid_value")]
    [InlineData("""{"id":"t","at":"06:30","days":"mon","scene":"s"}""", "bad_request")]
    [InlineData("""{"id":"t","at":"06:30"}""", "bad_request")]
    [InlineData("""{"id":"t","at":"06:30","scene":"s","actions":[{"device":"a","state":{"power":"on"}}]}""", "bad_request")]
    [InlineData("""{"id":"t","at":"06:30","scene":"s","enabled":"no"}""", "bad_request")]
    [InlineData("""{"id":"t","scene":"s"}""", "bad_request")]
    [InlineData("""{"id":"t","at":630,"scene":"s"}""", "bad_request")]
    public void Bad_timers_are_refused(string json, string code) => Assert.Equal(code, TimerError(json).Code);

    [Fact]
    public void A_paused_timer_with_its_own_actions()
    {
        Assert.True(HouseholdParser.TryTimer(Json("""{"id":"t","at":"23:59","enabled":false,"actions":[{"device":"plug-1","state":{"power":"off"}}]}"""),
            Now, out var timer, out _));
        Assert.False(timer.Enabled);
        Assert.Null(timer.Scene);
        Assert.Equal(WeekDays.Every, timer.Days);
        Assert.Equal("plug-1", Assert.Single(timer.Actions!).Device);
    }
}
