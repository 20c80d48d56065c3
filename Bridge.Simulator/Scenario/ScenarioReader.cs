using System.Text.Json;

namespace Bridge.Simulator.Scenario;

/// <summary>Reads a scenario file: <c>{"devices":[{"protocol","type","id","name","mac"?,"module"?,"ip"?,
/// "tele_period"?,"adopted"?,"local_rpc"?,"state":{...},"faults":{"reply_delay_ms","ignore_commands","drop_rate","start_offline",
/// "rpc_error","refuse_reboot"}}]}</c>.
/// Every problem is collected and reported together.</summary>
internal static class ScenarioReader
{
    public static IReadOnlyList<DeviceSpec> Read(string jsonPathOrText)
    {
        var text = jsonPathOrText.TrimStart();
        var source = text.StartsWith('{') ? "scenario text" : jsonPathOrText;
        if (!text.StartsWith('{'))
        {
            if (!File.Exists(jsonPathOrText)) throw new FileNotFoundException($"Scenario file '{jsonPathOrText}' not found.", jsonPathOrText);
            text = File.ReadAllText(jsonPathOrText);
        }
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{source}: not valid JSON ({e.Message})", e);
        }
        using (doc)
        {
            var problems = new List<string>();
            var specs = new List<DeviceSpec>();
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("devices", out var devices) || devices.ValueKind != JsonValueKind.Array)
                throw new InvalidDataException($"{source}: expected an object with a 'devices' array");
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var i = 0;
            foreach (var d in devices.EnumerateArray())
            {
                var where = $"{source}: devices[{i++}]";
                if (ReadDevice(d, where, problems) is not { } spec) continue;
                if (!ids.Add(spec.Id)) problems.Add($"{where}: duplicate id '{spec.Id}'");
                else if (!DeviceFactory.Knows(spec.Protocol, spec.Type))
                    problems.Add($"{where}: unknown device '{spec.Protocol}/{spec.Type}' (known: {string.Join(", ", DeviceFactory.Known)})");
                else specs.Add(spec);
            }
            if (problems.Count > 0) throw new InvalidDataException(string.Join(Environment.NewLine, problems));
            return specs;
        }
    }

    private static DeviceSpec? ReadDevice(JsonElement d, string where, List<string> problems)
    {
        if (d.ValueKind != JsonValueKind.Object)
        {
            problems.Add($"{where}: must be an object");
            return null;
        }
        var before = problems.Count;
        var protocol = Required(d, "protocol", where, problems);
        var type = Required(d, "type", where, problems);
        var id = Required(d, "id", where, problems);
        if (id is not null && (id.IndexOfAny(['/', '+', '#', ' ']) >= 0)) problems.Add($"{where}: id '{id}' must not contain '/', '+', '#' or spaces");
        var faults = d.TryGetProperty("faults", out var f) && f.ValueKind == JsonValueKind.Object ? f : default;
        var delayMs = Number(faults, "reply_delay_ms", where, problems) ?? 0;
        var dropRate = Number(faults, "drop_rate", where, problems) ?? 0;
        if (delayMs < 0) problems.Add($"{where}: faults.reply_delay_ms must not be negative");
        if (dropRate is < 0 or > 1) problems.Add($"{where}: faults.drop_rate must be within 0..1");
        var tele = Number(d, "tele_period", where, problems);
        var shellyOnly = (d.TryGetProperty("adopted", out _) || d.TryGetProperty("local_rpc", out _)
            || (faults.ValueKind == JsonValueKind.Object && (faults.TryGetProperty("rpc_error", out _) || faults.TryGetProperty("refuse_reboot", out _))));
        if (shellyOnly && !string.Equals(protocol, "shelly", StringComparison.OrdinalIgnoreCase))
            problems.Add($"{where}: 'adopted', 'local_rpc', faults.rpc_error and faults.refuse_reboot are for shelly devices only");
        if (problems.Count > before) return null;
        return new DeviceSpec
        {
            Protocol = protocol!.ToLowerInvariant(),
            Type = type!.ToLowerInvariant(),
            Id = id!,
            Name = Str(d, "name") ?? id!,
            Mac = Str(d, "mac")?.Replace(":", "", StringComparison.Ordinal).ToUpperInvariant(),
            Module = Str(d, "module"),
            Ip = Str(d, "ip"),
            TelePeriod = tele is { } t ? (int)t : null,
            State = d.TryGetProperty("state", out var s) && s.ValueKind == JsonValueKind.Object ? s.Clone() : default,
            ReplyDelay = TimeSpan.FromMilliseconds(delayMs),
            IgnoreCommands = Bool(faults, "ignore_commands"),
            DropRate = dropRate,
            StartOffline = Bool(faults, "start_offline"),
            Adopted = !(d.TryGetProperty("adopted", out var adopted) && adopted.ValueKind == JsonValueKind.False),
            LocalRpc = Bool(d, "local_rpc"),
            RpcErrors = Bool(faults, "rpc_error"),
            RefuseReboot = Bool(faults, "refuse_reboot"),
        };
    }

    private static string? Required(JsonElement e, string name, string where, List<string> problems)
    {
        var v = Str(e, name);
        if (string.IsNullOrWhiteSpace(v)) problems.Add($"{where}: '{name}' is missing");
        return v;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static bool Bool(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static double? Number(JsonElement e, string name, string where, List<string> problems)
    {
        if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v)) return null;
        if (v.ValueKind == JsonValueKind.Number) return v.GetDouble();
        problems.Add($"{where}: '{name}' must be a number");
        return null;
    }
}
