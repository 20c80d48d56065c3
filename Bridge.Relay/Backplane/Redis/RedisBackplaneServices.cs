namespace Bridge.Relay.Backplane.Redis;

public static class RedisBackplaneServices
{
    /// <summary>The backplane of several nodes (<c>Relay:Redis</c>) in place of the in-memory one.</summary>
    public static IServiceCollection AddRedisBackplane(this IServiceCollection services)
    {
        services.AddSingleton<RedisNode>();
        services.AddSingleton<BridgeDirectory>();
        services.AddSingleton<RemoteClients>();
        services.AddSingleton<ProxiedSessions>();
        services.AddSingleton<NodePublisher>();
        services.AddHostedService(s => s.GetRequiredService<NodePublisher>());
        services.AddSingleton<NodeInbox>();
        services.AddSingleton<RedisBackplane>();
        services.AddSingleton<IRelayBackplane>(s => s.GetRequiredService<RedisBackplane>());
        services.AddHostedService<BackplaneKeeper>();
        return services;
    }
}
