using Bridge.Protocols.EspProv;
using Bridge.Protocols.EspProv.Messages;

namespace Bridge.Tests.Protocols.EspProv;

/// <summary>Wire bytes of the provisioning messages, written by hand from the field numbers in the
/// protocol digest (ESP-IDF unified provisioning), and the ciphers against published vectors.</summary>
public sealed class EspProvGoldenTests
{
    [Fact]
    public void Security0_command_is_the_empty_session_command()
    {
        // SessionData{sec_ver 0 (default, absent), sec0 (10) = {msg 0 (absent), sc (20) = {}}}
        Assert.Equal(Convert.FromHexString("5203A20100"), new Security0Client().Begin());
    }

    [Fact]
    public void Security1_command0_carries_the_client_key()
    {
        var bytes = new Security1Client("pop").Begin();
        // sec_ver (2) = 1; sec1 (11), 37 bytes: sc0 (20), 34 bytes: client_pubkey (1), 32 bytes.
        Assert.Equal(Convert.FromHexString("10015A25A201220A20"), bytes[..9]);
        Assert.Equal(9 + 32, bytes.Length);
    }

    [Fact]
    public void Security2_command0_carries_username_and_A()
    {
        var bytes = new Security2Client("wifiprov", "pop", 1).Begin();
        var data = SessionData.Parser.ParseFrom(bytes);
        Assert.Equal(Convert.FromHexString("1002"), bytes[..2]); // sec_ver (2) = 2
        Assert.Equal(0x62, bytes[2]); // sec2 (12), length-delimited
        Assert.Equal("wifiprov", data.Sec2.Sc0.ClientUsername.ToStringUtf8());
        Assert.InRange(data.Sec2.Sc0.ClientPubkey.Length, 370, 384); // A, minimal big-endian, ≤ len(N)
    }

    [Fact]
    public void Set_config_apply_and_status_bytes()
    {
        // msg (1) = 2; cmd_set_config (12) = {ssid (1) "Home", passphrase (2) "pw"}
        Assert.Equal(Convert.FromHexString("0802620A0A04486F6D65120270 77".Replace(" ", "")), WifiConfigMessages.SetConfig("Home", "pw"));
        Assert.Equal(Convert.FromHexString("08047200"), WifiConfigMessages.ApplyConfig()); // msg 4, cmd_apply_config (14) = {}
        Assert.Equal(Convert.FromHexString("52 00".Replace(" ", "")), WifiConfigMessages.GetStatus()); // msg 0 absent, cmd_get_status (10) = {}
    }

    [Fact]
    public void Status_reply_with_a_failure_reason_reads_back()
    {
        // msg 1; resp_get_status (11) = {status 0, sta_state (2) = 3 failed, fail_reason (10) = 0 auth error}
        var payload = WifiConfigMessages.ReadResponse(Convert.FromHexString("08015A0410035000"), WiFiConfigMsgType.RespGetStatus);
        Assert.Equal(WifiStationState.ConnectionFailed, payload.RespGetStatus.StaState);
        Assert.Equal(RespGetStatus.StateOneofCase.FailReason, payload.RespGetStatus.StateCase);
        Assert.Equal(WifiConnectFailedReason.AuthError, payload.RespGetStatus.FailReason);
    }

    [Fact]
    public void Aes_ctr_matches_nist_sp800_38a_and_keeps_one_keystream()
    {
        var key = Convert.FromHexString("603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4");
        var iv = Convert.FromHexString("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff");
        var plain = Convert.FromHexString("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51");
        using var whole = new AesCtrStream(key, iv);
        Assert.Equal("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5", Convert.ToHexString(whole.Encrypt(plain)).ToLowerInvariant());
        // The same keystream whether it is used in one call or in pieces, by either direction.
        using var pieces = new AesCtrStream(key, iv);
        var first = pieces.Encrypt(plain.AsSpan(0, 5));
        var rest = pieces.Decrypt(plain.AsSpan(5));
        Assert.Equal("601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5", Convert.ToHexString([.. first, .. rest]).ToLowerInvariant());
        // The counter carries across all 16 bytes (checked with Python's cryptography).
        using var wrap = new AesCtrStream(key, Convert.FromHexString("ffffffffffffffffffffffffffffffff"));
        Assert.Equal("3b3c2921c85a24de9ac606ce6d1d60cce568f68194cf76d6174d4cc04310a854", Convert.ToHexString(wrap.Encrypt(new byte[32])).ToLowerInvariant());
    }

    [Fact]
    public void Aes_gcm_nonce_counts_messages_with_patch_version_1()
    {
        var key = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
        var nonce = Enumerable.Range(0, 12).Select(i => (byte)i).ToArray();
        using var counting = new AesGcmSession(key, nonce, patchVersion: 1);
        // Values from Python's cryptography AESGCM with the nonce and nonce + 1.
        Assert.Equal("2f67ba77aa2797ff353b8a046d28236dcd9d057bbb", Convert.ToHexString(counting.Encrypt("hello"u8)).ToLowerInvariant());
        Assert.Equal("e16efdd52cebed0f98f1ff40b96bbc46e6202528b7", Convert.ToHexString(counting.Encrypt("hello"u8)).ToLowerInvariant());
        using var fixedNonce = new AesGcmSession(key, nonce, patchVersion: 0);
        Assert.Equal(fixedNonce.Encrypt("hello"u8), fixedNonce.Encrypt("hello"u8));
    }

    [Fact]
    public void Proto_ver_answers_are_read_and_others_refused()
    {
        Assert.True(ProtoVersion.TryParse("""{"prov":{"ver":"v1.1","sec_ver":2,"sec_patch_ver":1,"cap":["wifi_scan"]},"my-app":{}}"""u8, out var v));
        Assert.Equal((2, 1), (v!.SecurityVersion, v.PatchVersion));
        Assert.True(v.Can("wifi_scan"));
        Assert.True(ProtoVersion.TryParse("""{"prov":{"ver":"v1.0","cap":["no_sec"]}}"""u8, out var old));
        Assert.Equal(0, old!.SecurityVersion);
        Assert.False(ProtoVersion.TryParse("""{"id":"shellyplus1-a8","gen":2}"""u8, out _));
        Assert.False(ProtoVersion.TryParse("<html>"u8, out _));
    }
}
