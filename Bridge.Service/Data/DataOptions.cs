namespace Bridge.Service.Data;

/// <summary><c>Data:*</c>: where the bridge keeps its identity and known devices.</summary>
public sealed class DataOptions
{
    public const string Section = "Data";

    public string Dir { get; set; } = DefaultDir();

    public static string DefaultDir() =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share", "devicebridge");

    public IEnumerable<string> Validate()
    {
        if (string.IsNullOrWhiteSpace(Dir)) yield return "Data:Dir must name a directory";
    }
}
