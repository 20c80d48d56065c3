namespace Bridge.Tests.Infrastructure;

/// <summary>Where multicast and broadcast tests can run: inside the network namespace test.sh makes
/// (tools/in-netns.sh sets BRIDGE_TEST_NETNS=1), whose loopback carries multicast.</summary>
public static class NetnsOnly
{
    public static bool InNamespace => Environment.GetEnvironmentVariable("BRIDGE_TEST_NETNS") == "1";

    public static string Python => Environment.GetEnvironmentVariable("BRIDGE_TEST_PYTHON") ?? "/usr/bin/python3";
}

/// <summary>A fact that needs the test network namespace; elsewhere it is reported as skipped, with
/// the reason, instead of passing without having run.</summary>
public sealed class NetnsFactAttribute : FactAttribute
{
    public NetnsFactAttribute()
    {
        if (!NetnsOnly.InNamespace) Skip = "needs the test network namespace (run under unshare -n tools/in-netns.sh): no multicast here";
    }
}
