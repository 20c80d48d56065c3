using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;

namespace Bridge.Service.Discovery;

/// <summary>The local API's real port, once the server listens (<c>Api:Port=0</c> picks one).</summary>
public sealed class ApiAddress(IServer server)
{
    public int Port
    {
        get
        {
            var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault()
                ?? throw new InvalidOperationException("the local API is not listening yet");
            return new Uri(address.Replace("0.0.0.0", "127.0.0.1").Replace("[::]", "127.0.0.1")).Port;
        }
    }
}
