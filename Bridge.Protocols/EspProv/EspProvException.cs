namespace Bridge.Protocols.EspProv;

/// <summary>An ESP-IDF provisioning exchange cannot go on: a malformed or unexpected message, a
/// failed proof, a failed integrity check. The message says which, in words an installer can act
/// on; it never carries a key, proof of possession or password.</summary>
public sealed class EspProvException(string message, Exception? inner = null) : Exception(message, inner);
