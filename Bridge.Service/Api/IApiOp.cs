using Bridge.Protocols.Api;
using Bridge.Service.Security;

namespace Bridge.Service.Api;

/// <summary>One op of the local API (and of the relay, which uses the same sessions): its name in
/// the request's <c>op</c>, the least token scope it needs, and its handler. Registered through DI
/// with <see cref="ApiOpRegistration.AddApiOp{T}"/>; <see cref="ApiDispatcher"/> builds its table
/// from every registered op.</summary>
public interface IApiOp
{
    string Name { get; }
    TokenScope Scope { get; }

    /// <summary>Answers the request on the session: exactly one reply (ok or error) per request.</summary>
    ValueTask HandleAsync(ApiSession session, ApiRequest request);
}

public static class ApiOpRegistration
{
    /// <summary>Adds an op to the API. Two ops with one name are a start-up error (see <see cref="ApiDispatcher"/>).</summary>
    public static IServiceCollection AddApiOp<T>(this IServiceCollection services) where T : class, IApiOp
        => services.AddSingleton<IApiOp, T>();
}
