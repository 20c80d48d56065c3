namespace Bridge.Service.Modules;

public static class ProtocolServiceCollectionExtensions
{
    /// <summary>Adds a protocol module: the one line a new protocol needs (docs/adding-a-protocol.md).
    /// Adding the same module twice, or two modules of one name, is a programming error.</summary>
    public static IServiceCollection AddProtocol<T>(this IServiceCollection services, IConfiguration config) where T : IProtocolModule, new()
    {
        var module = new T();
        if (services.Any(s => s.ServiceType == typeof(ProtocolModuleName) && s.ImplementationInstance is ProtocolModuleName n && n.Name == module.Name))
            throw new InvalidOperationException($"the protocol '{module.Name}' is added twice");
        services.AddSingleton(new ProtocolModuleName(module.Name));
        module.Register(new ProtocolBuilder(services, config, module.Name));
        return services;
    }
}

/// <summary>The name of one added module; all of them list what <c>Devices:Static:&lt;n&gt;:Protocol</c> may say.</summary>
public sealed record ProtocolModuleName(string Name);
