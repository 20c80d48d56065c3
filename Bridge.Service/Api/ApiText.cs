namespace Bridge.Service.Api;

/// <summary>Client-supplied text quoted back in error messages, cut so a huge value cannot bloat a reply.</summary>
public static class ApiText
{
    public static string Truncate(string s) => s.Length <= 40 ? s : s[..40] + "…";
}
