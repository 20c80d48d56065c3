using Bridge.Service.Data;
using Microsoft.Extensions.Options;

namespace Bridge.Service.Secrets;

public static class SecretServices
{
    /// <summary>The secret store (<see cref="ISecretStore"/>) in <c>Data:Dir</c>.</summary>
    public static IServiceCollection AddSecrets(this IServiceCollection services)
    {
        services.AddSingleton<ISecretStore>(sp => new FileSecretStore(
            sp.GetRequiredService<IOptions<DataOptions>>().Value.Dir, sp.GetRequiredService<ILogger<FileSecretStore>>()));
        return services;
    }
}
