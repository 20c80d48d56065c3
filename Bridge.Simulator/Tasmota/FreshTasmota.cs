using System.Net;

namespace Bridge.Simulator.Tasmota;

/// <summary>A Tasmota plug as it is once on the home's Wi-Fi but on no broker (every fresh Tasmota, and a
/// Tasmota right after Wi-Fi provisioning): default host name and topic from its MAC, no MqttHost, its HTTP
/// command API on a loopback port. Given a broker and an account over that API (<c>Backlog MqttHost …</c>), it
/// restarts and joins that broker as the MQTT Tasmota it is (<see cref="TasmotaDevice"/>), announcing itself by
/// Tasmota's own discovery.</summary>
public sealed class FreshTasmota : IAsyncDisposable
{
    private FreshTasmota(TasmotaRelayPlug device, TasmotaHttpApi api)
    {
        Device = device;
        Api = api;
    }

    public TasmotaRelayPlug Device { get; }

    public TasmotaHttpApi Api { get; }

    /// <summary>Where its HTTP command API answers (loopback, a free port).</summary>
    public IPEndPoint EndPoint => Api.EndPoint;

    /// <summary>Its topic (<c>tasmota_XXXXXX</c>), which becomes its id in the bridge.</summary>
    public string Topic => Device.Id;

    public string Hostname => Device.Hostname;

    public string Mac => Device.Mac;

    /// <summary>Starts one. <paramref name="mac"/>: 12 hex digits (random when null); <paramref name="webPassword"/>:
    /// the web password the device was given (none when null); <paramref name="ipAddress"/>: what it reports as its
    /// address (Status 5, discovery <c>ip</c>).</summary>
    public static async Task<FreshTasmota> StartAsync(string? mac = null, string? webPassword = null, string name = "Tasmota plug",
        string ipAddress = "127.0.0.1", TimeProvider? time = null, CancellationToken ct = default)
    {
        mac = (mac ?? "A4CF12" + Random.Shared.Next(0x100000, 0xFFFFFF).ToString("X6", System.Globalization.CultureInfo.InvariantCulture)).ToUpperInvariant();
        var device = new TasmotaRelayPlug(TasmotaDevice.DefaultTopic(mac), name, mac, time: time)
        {
            Hostname = TasmotaDevice.DefaultHostname(mac),
            IpAddress = ipAddress,
            WebPassword = webPassword ?? "",
        };
        try
        {
            return new FreshTasmota(device, await TasmotaHttpApi.StartAsync(device, ct: ct).ConfigureAwait(false));
        }
        catch
        {
            await device.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Api.DisposeAsync().ConfigureAwait(false);
        await Device.DisposeAsync().ConfigureAwait(false);
    }
}

/// <summary>Disposes a list of fresh Tasmotas (the command line's, started one by one).</summary>
internal sealed class FreshTasmotas(List<FreshTasmota> all) : IAsyncDisposable
{
    public async ValueTask DisposeAsync()
    {
        foreach (var t in all) await t.DisposeAsync().ConfigureAwait(false);
    }
}
