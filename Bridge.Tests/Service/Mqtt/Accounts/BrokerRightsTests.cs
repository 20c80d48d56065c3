using Bridge.Protocols.Mqtt;
using System.Buffers;
using System.Text;
using Bridge.Service.Drivers.Shelly;
using Bridge.Service.Drivers.Tasmota;
using Bridge.Service.Mqtt;
using Bridge.Service.Mqtt.Accounts;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;

namespace Bridge.Tests.Service.Mqtt.Accounts;

/// <summary>The rights each protocol grants its devices on the embedded broker, and the pieces the broker's
/// checks are made of.</summary>
public sealed class BrokerRightsTests
{
    private static readonly Dictionary<string, string> LampFacts = new() { ["mac"] = "4C:11:AE:0D:1A:01" };

    private static ReadOnlySequence<byte> Bytes(string s) => new(Encoding.UTF8.GetBytes(s));

    [Theory]
    [InlineData("cmnd/lamp-1/#", "cmnd/lamp-1/#", true)]
    [InlineData("cmnd/lamp-1/#", "cmnd/lamp-1/POWER", true)]
    [InlineData("cmnd/lamp-1/#", "cmnd/lamp-1/+", true)]
    [InlineData("cmnd/lamp-1/#", "cmnd/lamp-1", true)]
    [InlineData("cmnd/lamp-1/#", "cmnd/+/#", false)]
    [InlineData("cmnd/lamp-1/#", "cmnd/#", false)]
    [InlineData("cmnd/lamp-1/#", "#", false)]
    [InlineData("cmnd/lamp-1/#", "cmnd/lamp-2/POWER", false)]
    [InlineData("a/+/c", "a/b/c", true)]
    [InlineData("a/+/c", "a/+/c", true)]
    [InlineData("a/+/c", "a/#", false)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("#", "anything/+/#", true)]
    public void A_subscription_right_covers_only_filters_inside_it(string allowed, string requested, bool expected) =>
        Assert.Equal(expected, TopicFilter.Covers(allowed, requested));

    [Fact]
    public void A_Tasmota_device_publishes_only_its_own_reports_and_discovery_and_hears_only_its_own_commands()
    {
        var rights = new TasmotaMqttRights().For("lamp-1", LampFacts, out var problem)!;
        Assert.Null(problem);
        var empty = ReadOnlySequence<byte>.Empty;
        Assert.True(rights.MayPublish("tele/lamp-1/LWT", empty));
        Assert.True(rights.MayPublish("stat/lamp-1/RESULT", empty));
        Assert.True(rights.MayPublish("tasmota/discovery/4C11AE0D1A01/config", empty));
        Assert.False(rights.MayPublish("stat/lamp-2/RESULT", empty));
        Assert.False(rights.MayPublish("tasmota/discovery/4C11AE0D1A02/config", empty));
        Assert.False(rights.MayPublish("cmnd/lamp-2/POWER", empty));
        Assert.False(rights.MayPublish("cmnd/lamp-1/POWER", empty));
        Assert.True(rights.MaySubscribe("cmnd/lamp-1/#"));
        Assert.True(rights.MaySubscribe("cmnd/tasmotas/#"));
        Assert.True(rights.MaySubscribe("cmnd/DVES_0D1A01_fb/#"));
        Assert.False(rights.MaySubscribe("cmnd/+/#"));
        Assert.False(rights.MaySubscribe("stat/lamp-2/#"));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("+")]
    [InlineData("#")]
    [InlineData("")]
    [InlineData("tasmotas")]
    public void A_Tasmota_topic_that_would_reach_beyond_its_device_gets_no_rights(string topic)
    {
        Assert.Null(new TasmotaMqttRights().For(topic, LampFacts, out var problem));
        Assert.False(string.IsNullOrEmpty(problem));
    }

    [Fact]
    public void A_Tasmota_account_needs_a_real_MAC() =>
        Assert.Null(new TasmotaMqttRights().For("lamp-1", new Dictionary<string, string> { ["mac"] = "+" }, out _));

    [Theory]
    [InlineData("tele")]
    [InlineData("cmnd")]
    [InlineData("tasmota")]
    [InlineData("shelly/x")]
    [InlineData("devicebridge-abc")]
    public void An_id_that_is_no_Shelly_id_gets_no_Shelly_rights(string id) =>
        Assert.Null(new ShellyMqttRights(Identity()).For(id, new Dictionary<string, string>(), out _));

    [Fact]
    public void A_Shelly_answers_the_bridge_only_in_its_own_name()
    {
        var identity = Identity();
        var rights = new ShellyMqttRights(identity).For("shellyplusplugs-e86beae8b1c0", new Dictionary<string, string>(), out _)!;
        var replies = ShellyRpcClient.SourceOf(identity) + "/rpc";
        Assert.True(rights.MayPublish("shellyplusplugs-e86beae8b1c0/events/rpc", Bytes("{}")));
        Assert.True(rights.MayPublish(replies, Bytes("{\"id\":7,\"src\":\"shellyplusplugs-e86beae8b1c0\",\"result\":{}}")));
        Assert.False(rights.MayPublish(replies, Bytes("{\"id\":7,\"src\":\"shellydimmerg3-84fce63ad204\",\"result\":{}}")));
        Assert.False(rights.MayPublish(replies, Bytes("{\"src\":\"shellyplusplugs-e86beae8b1c0\",\"src\":\"shellydimmerg3-84fce63ad204\"}")));
        Assert.False(rights.MayPublish(replies, Bytes("{\"id\":7,\"result\":{\"src\":\"shellyplusplugs-e86beae8b1c0\"}}")));
        Assert.False(rights.MayPublish("shellydimmerg3-84fce63ad204/online", Bytes("true")));
        Assert.True(rights.MaySubscribe("shellyplusplugs-e86beae8b1c0/rpc"));
        Assert.False(rights.MaySubscribe("shellydimmerg3-84fce63ad204/rpc"));
        Assert.False(rights.MaySubscribe(replies));
    }

    [Fact]
    public void The_Shelly_src_check_never_throws_on_any_payload() =>
        Prop.ForAll(ArbMap.Default.GeneratorFor<byte[]>().ToArbitrary(), bytes =>
        {
            ShellyMqttRights.SourceIs(new ReadOnlySequence<byte>(bytes), "shellyplus1-a8032ab12345");
            ShellyMqttRights.SourceIs(Bytes("{\"src\":\"shellyplus1-a8032ab12345\"," + Encoding.Latin1.GetString(bytes)), "shellyplus1-a8032ab12345");
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_password_hash_accepts_only_its_password_and_holds_no_trace_of_it()
    {
        var password = PasswordHash.NewPassword();
        var hash = PasswordHash.Create(password);
        Assert.Equal(32, password.Length);
        Assert.DoesNotContain(password, hash);
        Assert.StartsWith("pbkdf2-sha256$10000$", hash);
        Assert.True(PasswordHash.Verify(hash, Encoding.UTF8.GetBytes(password)));
        Assert.False(PasswordHash.Verify(hash, Encoding.UTF8.GetBytes(password[..^1])));
        Assert.False(PasswordHash.Verify(hash, []));
        Assert.False(PasswordHash.Verify("plain-text", Encoding.UTF8.GetBytes("plain-text")));
        Assert.NotEqual(hash, PasswordHash.Create(password));
    }

    [Fact]
    public void A_refusal_is_logged_once_per_key_per_window()
    {
        var time = new FakeTimeProvider();
        var log = new RefusalLog(time);
        Assert.True(log.ShouldLog("connect:192.168.1.9"));
        Assert.False(log.ShouldLog("connect:192.168.1.9"));
        Assert.True(log.ShouldLog("connect:192.168.1.10"));
        time.Advance(RefusalLog.Window);
        Assert.True(log.ShouldLog("connect:192.168.1.9"));
    }

    [Fact]
    public void Accounts_by_hand_with_a_password_in_the_settings_or_no_rights_are_refused_at_start()
    {
        var options = new MqttOptions
        {
            Accounts =
            [
                new MqttAccountOptions { Username = "a" },
                new MqttAccountOptions { Username = "b", PasswordFile = "/nonexistent/pw", Publish = ["tele/#/x"] },
                new MqttAccountOptions { Username = "c", PasswordSecret = "mqtt/c", Protocol = "tasmota" },
                new MqttAccountOptions { Username = "c", PasswordSecret = "mqtt/c", Subscribe = ["#"] },
            ],
        };
        var problems = options.Validate().ToList();
        Assert.Contains(problems, p => p.StartsWith("Mqtt:Accounts:0") && p.Contains("PasswordFile and PasswordSecret"));
        Assert.Contains(problems, p => p.StartsWith("Mqtt:Accounts:1") && p.Contains("does not exist"));
        Assert.Contains(problems, p => p.StartsWith("Mqtt:Accounts:1") && p.Contains("tele/#/x"));
        Assert.Contains(problems, p => p.StartsWith("Mqtt:Accounts:2") && p.Contains("Protocol and Device"));
        Assert.Contains(problems, p => p.Contains("'c' is given twice"));
    }

    private static Bridge.Service.Security.BridgeIdentity Identity()
    {
        var dir = Directory.CreateTempSubdirectory("bridge-rights-").FullName;
        try
        {
            return Bridge.Service.Security.BridgeIdentity.LoadOrCreate(dir);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
