using Xunit.Abstractions;

namespace Bridge.Tests.Discovery;

/// <summary>Multicast and broadcast tests run only inside the network namespace test.sh makes
/// (tools/in-netns.sh sets BRIDGE_TEST_NETNS=1); elsewhere they return at once, saying so.</summary>
public static class NetnsOnly
{
    public static bool Skip(ITestOutputHelper output)
    {
        if (Environment.GetEnvironmentVariable("BRIDGE_TEST_NETNS") == "1") return false;
        output.WriteLine("not in the test network namespace (BRIDGE_TEST_NETNS != 1): no multicast here, test skipped");
        return true;
    }

    public static string Python => Environment.GetEnvironmentVariable("BRIDGE_TEST_PYTHON") ?? "/usr/bin/python3";
}
