namespace Bridge.Service.Mqtt.Accounts;

public static class AccountServices
{
    /// <summary>Broker accounts: the device accounts (<see cref="DeviceAccounts"/>, for adopters and
    /// provisioners), the book the broker checks, and the broker's access control. Protocols add their
    /// <see cref="IMqttDeviceRights"/> themselves.</summary>
    public static IServiceCollection AddBrokerAccounts(this IServiceCollection services)
    {
        services.AddSingleton<DeviceAccounts>();
        services.AddSingleton<AccountBook>();
        services.AddSingleton<BrokerAccessControl>();
        return services;
    }
}
