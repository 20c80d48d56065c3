using System.Text;

namespace Bridge.Tests.Infrastructure;

public sealed class ConsoleWritersTests
{
    /// <summary>What Playwright does as it starts its driver must not replace the console writers:
    /// replacing them is the step that deadlocked the test host against a bridge's logging.</summary>
    [Fact]
    public void Changing_the_console_encoding_keeps_the_writers_that_tests_log_through()
    {
        var (output, error) = (System.Console.Out, System.Console.Error);
        var before = System.Console.OutputEncoding;
        System.Console.OutputEncoding = before.CodePage == Encoding.UTF8.CodePage ? Encoding.ASCII : Encoding.UTF8;
        System.Console.OutputEncoding = before;
        Assert.Same(output, System.Console.Out);
        Assert.Same(error, System.Console.Error);
    }
}
