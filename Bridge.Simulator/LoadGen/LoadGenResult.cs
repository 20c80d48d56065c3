using System.Text;
using System.Text.Json;

using Bridge.Protocols.Buffers;

namespace Bridge.Simulator.LoadGen;

/// <summary>The result of a throughput/latency run, printed as one JSON line.</summary>
public sealed record LoadGenResult(
    long Count,
    long Warmup,
    long Errors,
    IReadOnlyDictionary<string, long> ErrorCodes,
    double CommandsPerSecond,
    long P50Us,
    long P90Us,
    long P99Us,
    long MaxUs,
    double MeanUs,
    int Connections,
    int InFlight,
    int Devices,
    long WarmupErrors,
    double ElapsedSeconds,
    string Op = "set")
{
    public static LoadGenResult From(
        LoadGenOptions options, int devices, LatencyHistogram latencies, ErrorTally errors, long warmupErrors, double elapsedSeconds) =>
        new(
            Count: options.Count,
            Warmup: options.Warmup,
            Errors: errors.Total,
            ErrorCodes: errors.Snapshot(),
            CommandsPerSecond: elapsedSeconds > 0 ? options.Count / elapsedSeconds : 0,
            P50Us: latencies.Percentile(50),
            P90Us: latencies.Percentile(90),
            P99Us: latencies.Percentile(99),
            MaxUs: latencies.Max,
            MeanUs: latencies.Mean,
            Connections: options.Connections,
            InFlight: options.InFlight,
            Devices: devices,
            WarmupErrors: warmupErrors,
            ElapsedSeconds: elapsedSeconds,
            Op: options.Ping ? "ping" : "set");

    /// <summary>
    /// <c>{"op":"set|ping","count":N,"warmup":W,"errors":E,"error_codes":{..},"commands_per_s":X,"p50_us":..,"p90_us":..,
    /// "p99_us":..,"max_us":..,"mean_us":..,"connections":K,"inflight":C,"devices":D,"warmup_errors":..,"elapsed_s":..}</c>
    /// Latency percentiles cover the successful measured commands.
    /// </summary>
    public string ToJson() => ResultJson.Write(writer =>
    {
        writer.WriteString("op", Op);
        writer.WriteNumber("count", Count);
        writer.WriteNumber("warmup", Warmup);
        writer.WriteNumber("errors", Errors);
        ResultJson.WriteCodes(writer, ErrorCodes);
        writer.WriteNumber("commands_per_s", Math.Round(CommandsPerSecond, 1));
        writer.WriteNumber("p50_us", P50Us);
        writer.WriteNumber("p90_us", P90Us);
        writer.WriteNumber("p99_us", P99Us);
        writer.WriteNumber("max_us", MaxUs);
        writer.WriteNumber("mean_us", Math.Round(MeanUs, 1));
        writer.WriteNumber("connections", Connections);
        writer.WriteNumber("inflight", InFlight);
        writer.WriteNumber("devices", Devices);
        writer.WriteNumber("warmup_errors", WarmupErrors);
        writer.WriteNumber("elapsed_s", Math.Round(ElapsedSeconds, 3));
    });
}

/// <summary>The result of <c>--scene</c>: one set to every device at once.</summary>
public sealed record SceneResult(int SceneDevices, long AllConfirmedUs, long Errors, IReadOnlyDictionary<string, long> ErrorCodes)
{
    /// <summary><c>{"scene_devices":D,"all_confirmed_us":T,"errors":E,"error_codes":{..}}</c></summary>
    public string ToJson() => ResultJson.Write(writer =>
    {
        writer.WriteNumber("scene_devices", SceneDevices);
        writer.WriteNumber("all_confirmed_us", AllConfirmedUs);
        writer.WriteNumber("errors", Errors);
        ResultJson.WriteCodes(writer, ErrorCodes);
    });
}

internal static class ResultJson
{
    public static string Write(Action<Utf8JsonWriter> body)
    {
        using var buffer = new PooledBufferWriter(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    public static void WriteCodes(Utf8JsonWriter writer, IReadOnlyDictionary<string, long> codes)
    {
        writer.WriteStartObject("error_codes");
        foreach ((string code, long count) in codes.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(code, count);
        }

        writer.WriteEndObject();
    }
}
