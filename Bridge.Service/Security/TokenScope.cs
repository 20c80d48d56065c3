namespace Bridge.Service.Security;

/// <summary>What a token allows. Each scope includes the ones below it.</summary>
public enum TokenScope { Control = 1, Install = 2, Admin = 3 }

public static class TokenScopes
{
    public static bool TryParse(string? text, out TokenScope scope)
    {
        switch (text)
        {
            case "control": scope = TokenScope.Control; return true;
            case "install": scope = TokenScope.Install; return true;
            case "admin": scope = TokenScope.Admin; return true;
            default: scope = default; return false;
        }
    }

    public static string Name(TokenScope scope) => scope switch
    {
        TokenScope.Install => "install",
        TokenScope.Admin => "admin",
        _ => "control",
    };
}
