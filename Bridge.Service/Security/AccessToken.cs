namespace Bridge.Service.Security;

/// <summary>The claims of a verified token.</summary>
public sealed record AccessToken(string BridgeId, string Name, TokenScope Scope, DateTimeOffset IssuedAt, DateTimeOffset Expires, string TokenId);
