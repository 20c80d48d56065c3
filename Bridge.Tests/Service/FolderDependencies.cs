using System.Text.RegularExpressions;

namespace Bridge.Tests.Service;

/// <summary>Which folder of Bridge.Service uses which, read from the sources: the top-level folders
/// (Mqtt, Serial, Devices...) and each protocol's folder under Drivers (Drivers/Tasmota...), the
/// shared Drivers folder itself being one more. A file belongs to the folder its namespace names.</summary>
/// <remarks>
/// A file uses a folder when its code (comments and literals aside) names the folder's namespace:
/// <list type="bullet">
/// <item>fully, <c>Bridge.Service.Mqtt</c> (in a <c>using</c> or inline);</item>
/// <item>relatively, <c>Drivers.CommandFailure</c> from <c>Bridge.Service.Mqtt</c> or <c>Tuya.TuyaDriver</c>
/// from under <c>Bridge.Service.Drivers</c>, counted when the second name is a type that folder declares;</item>
/// <item>by an enclosing namespace: code in <c>Bridge.Service.Drivers.Tasmota</c> sees
/// <c>Bridge.Service.Drivers</c>' types without a <c>using</c>, so naming one (<c>IDeviceDriver</c>)
/// uses Drivers. That edge is expected; it is a cycle only if Drivers' own files use the subfolder back.</item>
/// </list>
/// The holes of interpolated strings are blanked with the literal; code there is not seen.
/// </remarks>
public sealed partial class FolderDependencies
{
    private const string Root = "Bridge.Service";
    private const string Drivers = "Drivers";

    /// <summary>Each folder's dependencies, each with the files and references that make it.</summary>
    public IReadOnlyDictionary<string, SortedDictionary<string, List<string>>> Edges => _edges;

    /// <summary>Files whose namespace is not their folder's.</summary>
    public IReadOnlyList<string> Misplaced => _misplaced;

    private readonly Dictionary<string, SortedDictionary<string, List<string>>> _edges = new(StringComparer.Ordinal);
    private readonly List<string> _misplaced = [];
    private readonly HashSet<string> _topFolders;
    private readonly HashSet<string> _driverFolders;
    private readonly Dictionary<string, HashSet<string>> _typesByFolder = new(StringComparer.Ordinal);

    public FolderDependencies(string projectDir)
    {
        _topFolders = Directory.GetDirectories(projectDir).Select(Path.GetFileName).OfType<string>()
            .Where(d => d is not ("bin" or "obj" or "wwwroot")).ToHashSet(StringComparer.Ordinal);
        _driverFolders = Directory.GetDirectories(Path.Combine(projectDir, Drivers)).Select(Path.GetFileName).OfType<string>()
            .ToHashSet(StringComparer.Ordinal);

        var files = Directory.EnumerateFiles(projectDir, "*.cs", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(projectDir, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => (Path: f, Code: CSharpCode.Of(File.ReadAllText(Path.Combine(projectDir, f)))))
            .ToList();

        var folderOf = new Dictionary<string, (string Folder, string Namespace)>();
        foreach (var (path, code) in files)
        {
            var ns = NamespaceDeclaration().Match(code) is { Success: true } m ? m.Groups[1].Value : Root;
            var expected = Path.GetDirectoryName(path) is { Length: > 0 } dir ? Root + "." + dir.Replace('/', '.') : Root;
            if (ns != expected) _misplaced.Add($"{path}: namespace {ns}, folder says {expected}");
            var folder = FolderOfNamespace(ns) ?? "(root)";
            folderOf[path] = (folder, ns);
            var types = _typesByFolder.TryGetValue(folder, out var t) ? t : _typesByFolder[folder] = new(StringComparer.Ordinal);
            foreach (Match d in TypeDeclaration().Matches(code)) types.Add(d.Groups[1].Success ? d.Groups[1].Value : d.Groups[2].Value);
        }

        foreach (var (path, code) in files)
        {
            var (from, ns) = folderOf[path];
            foreach (Match q in QualifiedName().Matches(code))
                Add(from, FolderOfNamespace(Root + "." + q.Groups[1].Value + (q.Groups[2].Success ? "." + q.Groups[2].Value : "")), path, q.Value);
            foreach (Match r in RelativeName().Matches(code))
            {
                var (first, second) = (r.Groups[1].Value, r.Groups[2].Value);
                // From Bridge.Service.X, "Mqtt.Foo" can mean Bridge.Service.Mqtt.Foo; from under
                // Bridge.Service.Drivers, "Tuya.Foo" can also mean Bridge.Service.Drivers.Tuya.Foo.
                if (_topFolders.Contains(first) && Declares(first, second, allowSubfolder: first == Drivers))
                    Add(from, first == Drivers && _driverFolders.Contains(second) ? Drivers + "/" + second : first, path, r.Value);
                else if (ns.StartsWith(Root + "." + Drivers, StringComparison.Ordinal) && _driverFolders.Contains(first) && Declares(Drivers + "/" + first, second, allowSubfolder: false))
                    Add(from, Drivers + "/" + first, path, r.Value);
            }
            if (from.StartsWith(Drivers + "/", StringComparison.Ordinal))
            {
                var shared = _typesByFolder.GetValueOrDefault(Drivers) ?? [];
                foreach (Match w in Identifier().Matches(code))
                {
                    if (shared.Contains(w.Value)) Add(from, Drivers, path, w.Value);
                }
            }
        }
    }

    private bool Declares(string folder, string name, bool allowSubfolder) =>
        (allowSubfolder && _driverFolders.Contains(name)) || (_typesByFolder.TryGetValue(folder, out var types) && types.Contains(name));

    /// <summary>The folder a namespace of Bridge.Service belongs to, or null outside the known folders.</summary>
    private string? FolderOfNamespace(string ns)
    {
        var parts = ns.Split('.');
        if (parts.Length < 3 || parts[0] != "Bridge" || parts[1] != "Service" || !_topFolders.Contains(parts[2])) return null;
        if (parts[2] == Drivers && parts.Length > 3 && _driverFolders.Contains(parts[3])) return Drivers + "/" + parts[3];
        return parts[2];
    }

    private void Add(string from, string? to, string path, string reference)
    {
        if (to is null || to == from) return;
        var targets = _edges.TryGetValue(from, out var t) ? t : _edges[from] = new(StringComparer.Ordinal);
        var evidence = targets.TryGetValue(to, out var e) ? e : targets[to] = [];
        var line = $"{path}: {reference}";
        if (evidence.Count < 3 && !evidence.Contains(line)) evidence.Add(line);
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"\b(?:class|struct|interface|enum|record)\s+(?:(?:class|struct)\s+)?([A-Z]\w*)|\bdelegate\s+[^;(]*?\s([A-Z]\w*)\s*(?:<[^>]*>)?\s*\(")]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?Bridge\.Service\.([A-Z]\w*)(?:\.([A-Z]\w*))?")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"(?<![\w.])([A-Z]\w*)\.([A-Z]\w*)")]
    private static partial Regex RelativeName();

    [GeneratedRegex(@"(?<![\w.])[A-Z]\w*")]
    private static partial Regex Identifier();
}
