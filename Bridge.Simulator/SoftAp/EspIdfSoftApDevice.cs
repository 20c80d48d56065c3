using System.Collections.Concurrent;
using System.Text;
using Bridge.Protocols.EspProv;
using Bridge.Protocols.EspProv.Messages;
using Bridge.Simulator.Improv;
using Google.Protobuf;
using Microsoft.AspNetCore.Http;

namespace Bridge.Simulator.SoftAp;

/// <summary>An ESP32 running ESP-IDF unified provisioning over its SoftAP (protocol digest, "ESP-IDF
/// unified provisioning"): <c>POST /proto-ver</c> (plaintext JSON), <c>/prov-session</c> (the
/// handshake of security 0, 1 or 2, one session per connection as the device keys it to the
/// socket), <c>/prov-config</c> (set, apply, status) and <c>/prov-scan</c>, every body but
/// proto-ver through the session's cipher. A failed request is answered 500, as ESP-IDF's HTTP
/// server does when a handler fails. After a failed join it takes new settings again (as
/// ESP-IDF's example does by resetting its state machine on failure).</summary>
public sealed class EspIdfSoftApDevice(string name, SimulatedAir air, int security, string? pop, int patchVersion = 1,
    string username = Security2Client.DefaultUsername, TimeProvider? time = null) : SoftApDevice(name, air, time)
{
    private readonly ConcurrentDictionary<string, EspProvDeviceSession> _sessions = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private (string Ssid, string Password)? _settings;
    private WifiStationState _state = WifiStationState.Disconnected;
    private WifiConnectFailedReason _failure;

    public override string Kind => "espidf";

    public int Security => security;

    /// <summary>The address it reports once connected (what a real device's DHCP lease gives it).</summary>
    public string LanAddress { get; set; } = "127.0.0.1";

    protected override async Task AnswerAsync(HttpContext ctx, byte[] body)
    {
        if (!HttpMethods.IsPost(ctx.Request.Method))
        {
            ctx.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        var connection = ctx.Connection.Id;
        byte[] answer;
        try
        {
            switch (ctx.Request.Path.Value)
            {
                case "/proto-ver":
                    answer = Encoding.UTF8.GetBytes(new ProtoVersion("v1.1", security, security == 2 ? patchVersion : 0,
                        security == 0 ? ["wifi_scan", "no_pop", "no_sec"] : pop is { Length: > 0 } ? ["wifi_scan"] : ["wifi_scan", "no_pop"]).ToJson());
                    break;
                case "/prov-session" when Faults.MalformedProtobuf:
                    answer = [0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F, 0x01];
                    break;
                case "/prov-session":
                    if (EspProvCodec.TryParse(SessionData.Parser, body, out var first) && first!.ProtoCase is SessionData.ProtoOneofCase.Sec0 && first.Sec0.Sc is not null
                        || first?.Sec1?.Sc0 is not null || first?.Sec2?.Sc0 is not null)
                        _sessions[connection] = EspProvDeviceSession.Create(security, patchVersion, pop, username);
                    answer = (_sessions.TryGetValue(connection, out var s) ? s : throw new EspProvException("no session started on this connection")).Handle(body);
                    break;
                case "/prov-config":
                    var config = Session(connection);
                    answer = config.Encrypt(Config(WiFiConfigPayload.Parser.ParseFrom(config.Decrypt(body))));
                    break;
                case "/prov-scan":
                    var scan = Session(connection);
                    answer = scan.Encrypt(Scan(WiFiScanPayload.Parser.ParseFrom(scan.Decrypt(body))));
                    break;
                default:
                    ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                    return;
            }
        }
        catch (Exception e) when (e is EspProvException or InvalidProtocolBufferException)
        {
            ctx.Response.StatusCode = StatusCodes.Status500InternalServerError;
            return;
        }
        ctx.Response.ContentType = ctx.Request.Path.Value == "/proto-ver" ? "application/json" : "application/octet-stream";
        await ctx.Response.Body.WriteAsync(answer, ctx.RequestAborted).ConfigureAwait(false);
    }

    private EspProvDeviceSession Session(string connection) =>
        _sessions.TryGetValue(connection, out var s) && s.Established ? s : throw new EspProvException("no established session on this connection");

    private byte[] Config(WiFiConfigPayload request)
    {
        switch (request.PayloadCase)
        {
            case WiFiConfigPayload.PayloadOneofCase.CmdSetConfig:
                var accepted = false;
                lock (_gate)
                    if (_state is not WifiStationState.Connecting and not WifiStationState.Connected)
                    {
                        _settings = (request.CmdSetConfig.Ssid.ToStringUtf8(), request.CmdSetConfig.Passphrase.ToStringUtf8());
                        accepted = true;
                    }
                return new WiFiConfigPayload
                {
                    Msg = WiFiConfigMsgType.RespSetConfig,
                    RespSetConfig = new RespSetConfig { Status = accepted ? Status.Success : Status.InvalidArgument },
                }.ToByteArray();
            case WiFiConfigPayload.PayloadOneofCase.CmdApplyConfig:
                (string Ssid, string Password)? settings;
                lock (_gate)
                {
                    settings = _settings;
                    if (settings is not null) _state = WifiStationState.Connecting;
                }
                if (settings is { } apply)
                    Background(async () =>
                    {
                        if (Faults.RebootOnApply)
                        {
                            await RebootAsync().ConfigureAwait(false);
                            return;
                        }
                        var outcome = await JoinAsync(apply.Ssid, apply.Password).ConfigureAwait(false);
                        lock (_gate)
                        {
                            _state = outcome == JoinOutcome.Joined ? WifiStationState.Connected : WifiStationState.ConnectionFailed;
                            _failure = outcome == JoinOutcome.NetworkNotFound ? WifiConnectFailedReason.NetworkNotFound : WifiConnectFailedReason.AuthError;
                            if (outcome != JoinOutcome.Joined) _settings = null;
                        }
                    });
                return new WiFiConfigPayload
                {
                    Msg = WiFiConfigMsgType.RespApplyConfig,
                    RespApplyConfig = new RespApplyConfig { Status = settings is null ? Status.InvalidArgument : Status.Success },
                }.ToByteArray();
            case WiFiConfigPayload.PayloadOneofCase.CmdGetStatus:
                var status = new RespGetStatus { Status = Status.Success };
                lock (_gate)
                {
                    status.StaState = _state;
                    if (_state == WifiStationState.ConnectionFailed) status.FailReason = _failure;
                    if (_state == WifiStationState.Connected)
                        status.Connected = new WifiConnectedState
                        {
                            Ip4Addr = LanAddress, AuthMode = WifiAuthMode.Wpa2Psk, Ssid = ByteString.CopyFromUtf8(_settings?.Ssid ?? ""), Channel = 6,
                        };
                }
                return new WiFiConfigPayload { Msg = WiFiConfigMsgType.RespGetStatus, RespGetStatus = status }.ToByteArray();
            default:
                throw new EspProvException("unknown Wi-Fi config command");
        }
    }

    private byte[] Scan(WiFiScanPayload request)
    {
        var networks = Air.Scan().ToArray();
        var reply = request.PayloadCase switch
        {
            WiFiScanPayload.PayloadOneofCase.CmdScanStart => new WiFiScanPayload { Msg = WiFiScanMsgType.RespScanStart, RespScanStart = new RespScanStart() },
            WiFiScanPayload.PayloadOneofCase.CmdScanStatus => new WiFiScanPayload
            {
                Msg = WiFiScanMsgType.RespScanStatus,
                RespScanStatus = new RespScanStatus { ScanFinished = true, ResultCount = (uint)networks.Length },
            },
            WiFiScanPayload.PayloadOneofCase.CmdScanResult => ScanPage(networks, request.CmdScanResult),
            _ => throw new EspProvException("unknown Wi-Fi scan command"),
        };
        return reply.ToByteArray();
    }

    private static WiFiScanPayload ScanPage((string Ssid, int Rssi, bool Secure)[] networks, CmdScanResult page)
    {
        var result = new RespScanResult();
        foreach (var (ssid, rssi, secure) in networks.Skip((int)Math.Min(page.StartIndex, int.MaxValue)).Take((int)Math.Min(page.Count, 4u)))
            result.Entries.Add(new WiFiScanResult
            {
                Ssid = ByteString.CopyFromUtf8(ssid), Rssi = rssi, Channel = 6,
                Auth = secure ? WifiAuthMode.Wpa2Psk : WifiAuthMode.Open, Bssid = ByteString.CopyFrom(new byte[6]),
            });
        return new WiFiScanPayload { Msg = WiFiScanMsgType.RespScanResult, RespScanResult = result };
    }

    protected override void Reset()
    {
        _sessions.Clear();
        lock (_gate)
        {
            _settings = null;
            _state = WifiStationState.Disconnected;
        }
    }
}
