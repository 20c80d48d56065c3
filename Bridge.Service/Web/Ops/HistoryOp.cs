using Bridge.Service.Devices;
using Bridge.Protocols.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Web.Ops;

/// <summary><c>history</c> → <c>{"capability":"current_temperature","bucket":30,"history":{"ac-1":[[unix seconds, °C], ...]}}</c>:
/// the last hours of every temperature the bridge has seen (see <see cref="TemperatureHistory"/>).</summary>
public sealed class HistoryOp(TemperatureHistory history) : Api.IApiOp
{
    public string Name => "history";
    public TokenScope Scope => TokenScope.Control;

    public ValueTask HandleAsync(Api.ApiSession session, ApiRequest request)
    {
        var series = history.Snapshot();
        return session.ReplyOkAsync(request.Id, series, static (w, series) =>
        {
            w.WriteString("capability", TemperatureHistory.Capability);
            w.WriteNumber("bucket", (int)TemperatureHistory.Bucket.TotalSeconds);
            w.WriteStartObject("history");
            foreach (var (device, points) in series)
            {
                w.WriteStartArray(device);
                foreach (var (seconds, value) in points)
                {
                    w.WriteStartArray();
                    w.WriteNumberValue(seconds);
                    w.WriteNumberValue(value);
                    w.WriteEndArray();
                }
                w.WriteEndArray();
            }
            w.WriteEndObject();
        });
    }
}
