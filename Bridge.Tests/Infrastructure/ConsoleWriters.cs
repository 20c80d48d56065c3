using System.Runtime.CompilerServices;
using System.Text;

namespace Bridge.Tests.Infrastructure;

/// <summary>Gives the test host console writers of its own before any test runs.
///
/// Why: Playwright sets <c>Console.OutputEncoding</c> while it starts its driver. On the runtime's
/// own console writers that setter, holding the console's lock, flushes <c>Console.Error</c> and
/// drops <c>Console.Out</c>; a bridge logging to the console at that moment holds the error
/// writer's lock and waits for the console's lock to make a new <c>Out</c>. The test host then
/// stops for good (seen in CI: a browser test starting while a 100-lamp bridge logged). With
/// writers set here the setter leaves both alone, so neither lock is taken in the other order.</summary>
internal static class ConsoleWriters
{
    [ModuleInitializer]
    internal static void Install()
    {
        var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
        System.Console.SetOut(new StreamWriter(System.Console.OpenStandardOutput(), utf8) { AutoFlush = true });
        System.Console.SetError(new StreamWriter(System.Console.OpenStandardError(), utf8) { AutoFlush = true });
    }
}
