namespace Bridge.Service.Modules;

/// <summary>One protocol, everything the bridge needs for it, registered in one place: its driver,
/// its listeners and connection managers, its discovery matchers, its adopter, its options and
/// their validation, and its demo devices (docs/adding-a-protocol.md). A module is added with one
/// line, <c>services.AddProtocol&lt;TasmotaModule&gt;(config)</c>.</summary>
public interface IProtocolModule
{
    /// <summary>The protocol's name: what profiles name as their <c>driver</c>, what <c>discovered</c>
    /// and <c>devices</c> show as <c>protocol</c>, and what <c>Devices:Static:&lt;n&gt;:Protocol</c> says.</summary>
    string Name { get; }

    /// <summary>Registers the module's parts through <paramref name="protocol"/>.</summary>
    void Register(ProtocolBuilder protocol);
}
