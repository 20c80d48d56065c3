using System.Text;
using System.Web;
using Bridge.Simulator.Improv;
using Microsoft.AspNetCore.Http;

namespace Bridge.Simulator.SoftAp;

/// <summary>A Tasmota without Wi-Fi settings, in access-point mode (protocol digest, "Tasmota in AP
/// mode"): its web page at <c>/</c>, the information page <c>/in</c> (host name), and the Wi-Fi form
/// <c>GET /wi?s1=&lt;ssid&gt;&amp;p1=&lt;password&gt;&amp;save=</c>. Like Tasmota ≥ 9.1 it tests the
/// settings while its access point stays up, and its page then shows the outcome in the words of
/// Tasmota's English language file ("Successful Wi-Fi connection" and its new address, or "Failed
/// to connect to …" with "Wrong password" / "Network cannot be reached").</summary>
public sealed class TasmotaSoftApDevice(string hostname, SimulatedAir air, TimeProvider? time = null) : SoftApDevice(hostname, air, time)
{
    private readonly object _gate = new();
    private string _page = "";

    public override string Kind => "tasmota";

    public string Hostname => Name;

    /// <summary>The address its page names once joined (its LAN side's HTTP API, with port in the simulation).</summary>
    public string LanAddress { get; set; } = "127.0.0.1";

    protected override async Task AnswerAsync(HttpContext ctx, byte[] body)
    {
        if (!HttpMethods.IsGet(ctx.Request.Method))
        {
            ctx.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        string html;
        switch (ctx.Request.Path.Value)
        {
            case "/":
                lock (_gate) html = Page(_page.Length > 0 ? _page : "<p>Wi-Fi parameters</p><form action='wi'>…</form>");
                break;
            case "/in":
                html = Page($"<table><tr><th>Hostname</th><td>{Name}</td></tr><tr><th>MAC Address</th><td>{Name.Split('-')[1].ToUpperInvariant()}</td></tr></table>");
                break;
            case "/wi" when ctx.Request.Query.ContainsKey("save"):
                var ssid = ctx.Request.Query["s1"].ToString();
                var password = ctx.Request.Query["p1"].ToString();
                lock (_gate) _page = $"<p>Trying to connect device to network</p><p>If it fails reconnect to try again</p>";
                Background(async () =>
                {
                    var outcome = await JoinAsync(ssid, password).ConfigureAwait(false);
                    var encoded = HttpUtility.HtmlEncode(ssid);
                    lock (_gate)
                        _page = outcome switch
                        {
                            JoinOutcome.Joined => $"<p>Successful Wi-Fi connection</p><p>Redirecting to device's new IP address</p><a href='http://{LanAddress}/'>http://{LanAddress}/</a>",
                            JoinOutcome.WrongPassword => $"<p>Failed to connect to {encoded}: Wrong password</p>",
                            _ => $"<p>Failed to connect to {encoded}: Network cannot be reached</p>",
                        };
                });
                html = Page("<p>Trying to connect device to network</p><p>If it fails reconnect to try again</p>");
                break;
            default:
                ctx.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
        }
        ctx.Response.ContentType = "text/html";
        await ctx.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(html), ctx.RequestAborted).ConfigureAwait(false);
    }

    private string Page(string content) => $"<!DOCTYPE html><html><head><title>Tasmota - Configuration</title></head><body><h3>Tasmota</h3><h2>{Name}</h2>{content}</body></html>";

    protected override void Reset()
    {
        lock (_gate) _page = "";
    }
}
