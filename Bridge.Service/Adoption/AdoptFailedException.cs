namespace Bridge.Service.Adoption;

/// <summary>Adopting failed; <see cref="Code"/> is the API error code (CONTRACT.md), the message says
/// what happened and in what state the device was left.</summary>
public sealed class AdoptFailedException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
